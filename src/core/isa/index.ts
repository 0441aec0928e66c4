/**
 * The guest ISA's public surface: assemble text to bytes, decode bytes to
 * instructions, and format instructions as Intel-syntax text. One opcode
 * table (opcodeTable.ts) is the single source of truth for all three.
 */
export type * from './ast';
export type * from './results';
export { OpKind, REG_RIP } from './results';
export { assemble } from './assembler';
export { decode } from './decoder';
export { formatInsn, disassemble } from './disassembler';
export { parseProgram } from './parser';
