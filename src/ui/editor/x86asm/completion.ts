/**
 * Completion items for the guest-assembly editor, as plain data: Monaco's
 * completion provider (providers.ts) maps them to CompletionItems.
 *
 * Where the caret is decides what is offered:
 *  - statement position (first word, after a label or prefix): every
 *    mnemonic of MNEMONICS, the prefixes, the directives the assembler
 *    accepts, and `KVM_HC_* equ N` definitions;
 *  - operand position: registers, size/addressing keywords, the program's
 *    own labels and `equ` names, and KVM hypercall numbers;
 *  - inside a comment: KVM_HC_* names only.
 *
 * KVM_HC_* names are not predefined by the assembler (an undefined name is
 * an error), so in operand position a hypercall completes to its number, with
 * the name in a trailing comment when the caret is at the end of the line
 * (`5 ; KVM_HC_KICK_CPU`), or to the name itself when the program defines it
 * with `equ`.
 */
import { HYPERCALLS, MNEMONICS, REGISTERS, type HypercallEntry } from '../../../core';
import { DIRECTIVE_DOCS } from './directives';
import { hypercallDoc } from './hypercallDocs';
import { instructionDoc } from './instructionDoc';
import { OPERAND_KEYWORDS, PREFIXES } from './language';
import {
  commentStart,
  equConstants,
  parseStatementLine,
  wordBefore,
  type StatementLine,
} from './lineSyntax';
import { canonicalMnemonic } from './mnemonicDocs';

export type CompletionKind =
  'instruction' | 'prefix' | 'directive' | 'register' | 'keyword' | 'symbol' | 'hypercall';

/** One completion item. */
export interface CompletionEntry {
  label: string;
  kind: CompletionKind;
  insertText: string;
  /** `insertText` is Monaco snippet syntax (`${1:x}` placeholders). */
  snippet?: boolean;
  /** What Monaco matches the typed word against (default: the label). */
  filterText?: string;
  detail: string;
  /** Markdown. */
  documentation?: string;
  sortText: string;
}

export type CompletionPosition = 'statement' | 'operand' | 'comment';

/** The completions at a caret: the word being typed (to replace) and the items. */
export interface CompletionResult {
  position: CompletionPosition;
  startColumn: number;
  endColumn: number;
  items: CompletionEntry[];
}

const DIRECTIVE_NAMES = new Set(DIRECTIVE_DOCS.map((d) => d.name));
const KNOWN_FIRST_WORDS = new Set([...MNEMONICS, ...DIRECTIVE_NAMES]);

/** Statement or operand position for the caret at `column`, or comment. */
export function completionPosition(line: string, column: number): CompletionPosition {
  if (column - 1 > commentStart(line)) return 'comment';
  const before = line.slice(0, column - 1);
  const typing = wordBefore(line, column);
  const head = before.slice(0, typing.startColumn - 1);
  const s: StatementLine = parseStatementLine(head);
  if (s.mnemonic === undefined) return 'statement';
  const first = s.mnemonic.text;
  // `times 4 nop`: after the count comes a statement again.
  if (first === 'times') return s.operands.length > 0 && /\s$/.test(head) ? 'statement' : 'operand';
  // `msg db 0`: a bare label, then a directive.
  if (!KNOWN_FIRST_WORDS.has(first) && s.operands.length === 0) return 'statement';
  return 'operand';
}

let statementItems: CompletionEntry[] | undefined;
let staticOperandItems: CompletionEntry[] | undefined;

function buildStatementItems(): CompletionEntry[] {
  const items: CompletionEntry[] = MNEMONICS.map((m) => {
    const canon = canonicalMnemonic(m) ?? m;
    return {
      label: m,
      kind: 'instruction' as const,
      insertText: m,
      detail: canon === m ? 'instruction' : `instruction (alias of ${canon})`,
      documentation: instructionDoc(m)?.join('\n\n'),
      sortText: `0${m}`,
    };
  });
  for (const p of PREFIXES) {
    items.push({ label: p, kind: 'prefix', insertText: p, detail: 'prefix', sortText: `1${p}` });
  }
  for (const d of DIRECTIVE_DOCS) {
    items.push({
      label: d.name,
      kind: 'directive',
      insertText: d.snippet,
      snippet: true,
      detail: `directive: ${d.syntax}`,
      documentation: `${d.summary}\n\n\`${d.example}\``,
      sortText: `2${d.name}`,
    });
  }
  for (const e of HYPERCALLS.values()) {
    items.push({
      label: e.name,
      kind: 'hypercall',
      insertText: `${e.name} equ ${e.nr}`,
      detail: `define ${e.name} equ ${e.nr}`,
      documentation: hypercallDoc(e).join('\n\n'),
      sortText: `3${String(e.nr).padStart(3, '0')}`,
    });
  }
  return items;
}

function registerDetail(name: string): string {
  const r = REGISTERS.get(name);
  if (r === undefined) return 'register';
  if (r.cls === 'sreg') return 'segment register';
  if (r.cls === 'creg') return 'control register';
  return `${r.size}-bit register`;
}

function buildStaticOperandItems(): CompletionEntry[] {
  const items: CompletionEntry[] = [...REGISTERS.keys()].map((r) => ({
    label: r,
    kind: 'register' as const,
    insertText: r,
    detail: registerDetail(r),
    sortText: `1${r}`,
  }));
  for (const k of OPERAND_KEYWORDS) {
    items.push({ label: k, kind: 'keyword', insertText: k, detail: 'keyword', sortText: `3${k}` });
  }
  return items;
}

/** Labels (`name:`) and `equ` names defined in the program. */
function programSymbols(lines: readonly string[]): Map<string, 'label' | 'equ'> {
  const out = new Map<string, 'label' | 'equ'>();
  for (const line of lines) {
    const label = parseStatementLine(line).label;
    if (label !== undefined && !label.text.startsWith('.')) out.set(label.text, 'label');
  }
  for (const name of equConstants(lines).keys()) out.set(name, 'equ');
  return out;
}

/** What choosing hypercall `e` inserts in operand position. */
export function hypercallInsertText(
  e: HypercallEntry,
  opts: { definedByProgram: boolean; atLineEnd: boolean },
): string {
  if (opts.definedByProgram) return e.name;
  return opts.atLineEnd ? `${e.nr} ; ${e.name}` : String(e.nr);
}

function hypercallItems(
  position: 'operand' | 'comment',
  defined: ReadonlySet<string>,
  atLineEnd: boolean,
): CompletionEntry[] {
  return [...HYPERCALLS.values()].map((e) => {
    const insertText =
      position === 'comment'
        ? e.name
        : hypercallInsertText(e, { definedByProgram: defined.has(e.name), atLineEnd });
    return {
      label: e.name,
      kind: 'hypercall' as const,
      insertText,
      filterText: e.name,
      detail: insertText === e.name ? `KVM hypercall ${e.nr}` : `KVM hypercall → ${insertText}`,
      documentation: hypercallDoc(e).join('\n\n'),
      sortText: `2${String(e.nr).padStart(3, '0')}`,
    };
  });
}

/** The completions for the caret at 1-based (`line`, `column`) of the program `lines`. */
export function completionsAt(
  lines: readonly string[],
  line: number,
  column: number,
): CompletionResult {
  const text = lines[line - 1] ?? '';
  const typing = wordBefore(text, column);
  let wordEnd = column - 1;
  while (wordEnd < text.length && /[\w.$?]/.test(text[wordEnd])) wordEnd++;
  const base = { startColumn: typing.startColumn, endColumn: wordEnd + 1 };
  const position = completionPosition(text, column);
  if (position === 'comment') {
    return { position, ...base, items: hypercallItems('comment', new Set(), false) };
  }
  if (position === 'statement') {
    statementItems ??= buildStatementItems();
    return { position, ...base, items: statementItems };
  }
  staticOperandItems ??= buildStaticOperandItems();
  const symbols = programSymbols(lines);
  const atLineEnd = text.slice(wordEnd).trim() === '';
  const items = [
    ...staticOperandItems,
    ...hypercallItems('operand', new Set(symbols.keys()), atLineEnd),
  ];
  const taken = new Set(items.map((i) => i.label));
  for (const [name, kind] of symbols) {
    if (taken.has(name)) continue;
    items.push({
      label: name,
      kind: 'symbol',
      insertText: name,
      detail: kind,
      sortText: `0${name}`,
    });
  }
  return { position, ...base, items };
}
