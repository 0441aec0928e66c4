/**
 * The one public surface of the core (STYLE.md §1): the UI, the Worker and
 * the CLI import the machine model from here only.
 */
export * from './isa';
export { MNEMONICS, OPCODE_TABLE, type OpcodeRow } from './isa/opcodeTable';
export { REGISTERS } from './isa/registers';
export * from './cpu';
