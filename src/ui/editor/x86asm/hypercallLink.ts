/**
 * "Which hypercall is this?": links a `mov eax, N` / `mov rax, N` to the
 * VMCALL or VMMCALL that follows it within a few lines, so the editor can say
 * that N is, say, KVM_HC_KICK_CPU.
 *
 * The heuristic is deliberately simple and conservative: it follows
 * straight-line code only. The link breaks at an instruction that writes RAX
 * (explicitly or implicitly), at a control transfer, at anything that is not
 * an instruction (data, directives), and after {@link LOOKAHEAD} statements.
 * Labels and blank or comment lines in between are fine.
 */
import { MNEMONICS } from '../../../core';
import {
  equConstants,
  parseIntLiteral,
  parseStatementLine,
  type StatementLine,
} from './lineSyntax';
import { hypercallByName } from './hypercallDocs';

/** How many statements may stand between the MOV and the hypercall (the hypercall included). */
export const LOOKAHEAD = 6;

const HYPERCALL_INSNS = new Set(['vmcall', 'vmmcall']);
const RAX_NAMES = new Set(['rax', 'eax', 'ax', 'al', 'ah']);
const NR_DESTINATIONS = new Set(['rax', 'eax']);
const KNOWN = new Set(MNEMONICS);
/** First operand is read, not written. */
const READS_FIRST = new Set(['cmp', 'test', 'push', 'out']);
/** Write RAX (or part of it) without naming it. */
const IMPLICIT_RAX = new Set([
  'cpuid',
  'rdmsr',
  'rdtsc',
  'lodsb',
  'lodsw',
  'lodsd',
  'lodsq',
  'cbw',
  'cwde',
  'cdqe',
  'mul',
  'div',
  'idiv',
  'lahf',
  ...HYPERCALL_INSNS,
]);

function isControlTransfer(m: string): boolean {
  return /^(j|loop|call|ret|iret|int)/.test(m) || m === 'hlt' || m === 'ud2' || m === 'jrcxz';
}

/** True if the statement may change RAX or leave straight-line code. */
function breaksLink(s: StatementLine): boolean {
  const m = s.mnemonic?.text;
  if (m === undefined) return false;
  if (!KNOWN.has(m) || isControlTransfer(m) || IMPLICIT_RAX.has(m)) return true;
  if (m === 'imul' && s.operands.length === 1) return true;
  const ops = s.operands.map((o) => o.text.toLowerCase());
  if (m === 'xchg') return ops.some((o) => RAX_NAMES.has(o));
  return !READS_FIRST.has(m) && ops.length > 0 && RAX_NAMES.has(ops[0]);
}

/** A `mov eax/rax, value` statement's value operand, or undefined. */
function nrOperand(s: StatementLine): StatementLine['operands'][number] | undefined {
  if (s.mnemonic?.text !== 'mov' || s.operands.length !== 2) return undefined;
  return NR_DESTINATIONS.has(s.operands[0].text.toLowerCase()) ? s.operands[1] : undefined;
}

/** Value of an operand: a literal, an `equ` constant (one level) or a KVM_HC_* name. */
function operandValue(text: string, lines: readonly string[]): bigint | undefined {
  const lit = parseIntLiteral(text);
  if (lit !== undefined) return lit;
  if (!/^[A-Za-z_.?$][\w.?$]*$/.test(text)) return undefined;
  const defined = equConstants(lines).get(text);
  if (defined !== undefined) return parseIntLiteral(defined);
  const hc = hypercallByName(text);
  return hc ? BigInt(hc.nr) : undefined;
}

/** The hypercall instruction the MOV on `line` (1-based) feeds, or undefined. */
function hypercallAfter(
  lines: readonly string[],
  line: number,
): { line: number; insn: string } | undefined {
  let statements = 0;
  for (let n = line + 1; n <= lines.length && statements < LOOKAHEAD; n++) {
    const s = parseStatementLine(lines[n - 1]);
    if (s.mnemonic === undefined) continue;
    statements++;
    if (HYPERCALL_INSNS.has(s.mnemonic.text)) return { line: n, insn: s.mnemonic.text };
    if (breaksLink(s)) return undefined;
  }
  return undefined;
}

/** A hypercall number found in the source, and where. */
export interface HypercallLink {
  nr: bigint;
  /** Line (1-based) of the `mov eax/rax, …`. */
  movLine: number;
  /** The value operand's columns on the MOV line. */
  startColumn: number;
  endColumn: number;
  /** Line (1-based) and mnemonic of the VMCALL/VMMCALL. */
  callLine: number;
  insn: string;
}

/**
 * If the caret at (`line`, `column`) is on the value of a `mov eax/rax, N`
 * that a VMCALL/VMMCALL within {@link LOOKAHEAD} statements consumes, the link.
 */
export function hypercallNumberAt(
  lines: readonly string[],
  line: number,
  column: number,
): HypercallLink | undefined {
  const text = lines[line - 1];
  if (text === undefined) return undefined;
  const op = nrOperand(parseStatementLine(text));
  if (op === undefined || column < op.startColumn || column > op.endColumn) return undefined;
  const nr = operandValue(op.text, lines);
  if (nr === undefined) return undefined;
  const call = hypercallAfter(lines, line);
  if (call === undefined) return undefined;
  return {
    nr,
    movLine: line,
    startColumn: op.startColumn,
    endColumn: op.endColumn,
    callLine: call.line,
    insn: call.insn,
  };
}

/**
 * For a VMCALL/VMMCALL on `callLine`, the `mov eax/rax, N` that sets its
 * number (searching backwards under the same rules), or undefined.
 */
export function hypercallNumberFor(
  lines: readonly string[],
  callLine: number,
): HypercallLink | undefined {
  let statements = 0;
  for (let n = callLine - 1; n >= 1 && statements < LOOKAHEAD; n--) {
    const s = parseStatementLine(lines[n - 1]);
    if (s.mnemonic === undefined) continue;
    statements++;
    const op = nrOperand(s);
    if (op !== undefined) {
      const link = hypercallNumberAt(lines, n, op.startColumn);
      return link?.callLine === callLine ? link : undefined;
    }
    if (breaksLink(s)) return undefined;
  }
  return undefined;
}
