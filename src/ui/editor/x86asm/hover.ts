/**
 * Hover content for the guest-assembly editor, as plain markdown: Monaco's
 * hover provider (providers.ts) only wraps it. What is under the caret, in
 * order of precedence:
 *  1. a KVM_HC_* name (anywhere, comments included): the hypercall;
 *  2. the value of `mov eax/rax, N` feeding a VMCALL/VMMCALL: the hypercall N;
 *  3. in code, a register, an instruction mnemonic, a prefix or a directive.
 * Inside a comment only (1) applies.
 */
import { HYPERCALLS } from '../../../core';
import { directiveDoc } from './directives';
import { hypercallByName, hypercallDoc, unknownHypercallDoc } from './hypercallDocs';
import { hypercallNumberAt, hypercallNumberFor } from './hypercallLink';
import { equConstants, inComment, parseIntLiteral, wordAt } from './lineSyntax';
import { instructionDoc } from './instructionDoc';
import { canonicalMnemonic } from './mnemonicDocs';
import { registerDoc } from './registerDocs';

/** A hover: the word's columns on the line and markdown paragraphs. */
export interface HoverContent {
  startColumn: number;
  endColumn: number;
  contents: string[];
}

const PREFIX_DOC: Readonly<Record<string, string>> = {
  rep: 'Repeat the string instruction RCX times (RCX counts down to 0).',
  repe: 'Repeat while equal: RCX times or until ZF = 0 (CMPS/SCAS).',
  repz: 'Same as repe.',
  repne: 'Repeat while not equal: RCX times or until ZF = 1 (CMPS/SCAS).',
  repnz: 'Same as repne.',
  lock: 'Make the read-modify-write of the memory operand atomic.',
};

/** Markdown for a KVM_HC_* name, noting a local `equ` that gives it another value. */
function hypercallNameDoc(
  name: string,
  lines: readonly string[],
  inCode: boolean,
): string[] | undefined {
  const entry = hypercallByName(name);
  if (entry === undefined) return undefined;
  const out = hypercallDoc(entry);
  const defined = equConstants(lines).get(name);
  const value = defined === undefined ? undefined : parseIntLiteral(defined);
  if (defined === undefined) {
    if (inCode)
      out.push(
        `The assembler does not predefine it: write \`${entry.nr}\`, or define \`${entry.name} equ ${entry.nr}\`.`,
      );
  } else if (value !== BigInt(entry.nr)) {
    out.push(`⚠ This program defines it as \`${defined}\`, but ${entry.name} is ${entry.nr}.`);
  }
  return out;
}

/** Markdown for the immediate of a `mov eax, N` that a hypercall consumes. */
function hypercallNumberDoc(nr: bigint, callLine: number, insn: string): string[] {
  const entry = nr >= 0n && nr <= 0xffffffffn ? HYPERCALLS.get(Number(nr)) : undefined;
  const used = `Hypercall number for the \`${insn}\` on line ${callLine}.`;
  return entry ? [...hypercallDoc(entry), used] : [...unknownHypercallDoc(nr), used];
}

/** What this VMCALL/VMMCALL calls, if the number is set just before it. */
function callSiteDoc(lines: readonly string[], line: number): string[] {
  const link = hypercallNumberFor(lines, line);
  if (link === undefined) return [];
  const entry = link.nr <= 0xffffffffn ? HYPERCALLS.get(Number(link.nr)) : undefined;
  const what = entry ? `\`${entry.name}\`` : 'no KVM hypercall (-KVM_ENOSYS)';
  return [`Here: RAX = ${link.nr} (line ${link.movLine}) → ${what}.`];
}

/**
 * The hover at 1-based (`line`, `column`) of the program `lines`, or
 * undefined when there is nothing to say.
 */
export function hoverAt(
  lines: readonly string[],
  line: number,
  column: number,
): HoverContent | undefined {
  const text = lines[line - 1];
  if (text === undefined) return undefined;
  const word = wordAt(text, column);
  if (word === undefined) return undefined;
  const at = (contents: string[] | undefined): HoverContent | undefined =>
    contents && { startColumn: word.startColumn, endColumn: word.endColumn, contents };

  const comment = inComment(text, word.startColumn);
  if (/^KVM_HC_\w+$/i.test(word.text)) {
    const doc = hypercallNameDoc(word.text, lines, !comment);
    if (doc) return at(doc);
  }
  if (comment) return undefined;

  const link = hypercallNumberAt(lines, line, word.startColumn);
  if (link !== undefined) {
    return {
      startColumn: link.startColumn,
      endColumn: link.endColumn,
      contents: hypercallNumberDoc(link.nr, link.callLine, link.insn),
    };
  }
  const lower = word.text.toLowerCase();
  const reg = registerDoc(lower);
  if (reg) return at(reg);
  const insn = instructionDoc(lower);
  if (insn) {
    const canon = canonicalMnemonic(lower);
    const site = canon === 'vmcall' || canon === 'vmmcall' ? callSiteDoc(lines, line) : [];
    return at([...insn, ...site]);
  }
  if (PREFIX_DOC[lower] !== undefined) return at([`**${lower}** (prefix): ${PREFIX_DOC[lower]}`]);
  const dir = directiveDoc(lower);
  if (dir) return at([`**${dir.name}** (directive): ${dir.summary}`, '`' + dir.syntax + '`']);
  return undefined;
}
