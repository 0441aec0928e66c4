/**
 * Guest memory layout the generated programs rely on (DESIGN.md §5 machine:
 * 2 MiB RAM at 0, program at 0x10000, RSP = 0x80000 growing down).
 *
 * Every data access a generated program makes lands in one of:
 *  - the WINDOW below (RAM outside the image, zero at start), through base /
 *    index registers that are set up right before the access;
 *  - the program's own `data` block (RIP-relative `[rel data + k]`);
 *  - the stack, near RSP (push/pop/call and `[rsp + d8]` operands).
 * None of them overlaps the code, the page tables of the KVM runner
 * (0x1000–0x3fff) or each other.
 */

export const ORIGIN = 0x10000;
export const INITIAL_RSP = 0x80000;

/** Base-register values are in [BASE_LO, BASE_LO + BASE_SPAN). */
export const BASE_LO = 0x40000;
export const BASE_SPAN = 0x800;
/** Index register values are 0–255 (movzx of a byte), scaled by at most 8. */
export const INDEX_MAX = 255;
/** |disp32| for base-relative forms (disp8 is -128..127). */
export const DISP32_MAX = 0x400;
/** Lowest and highest (exclusive) byte any window access can touch. */
export const WINDOW_LO = BASE_LO - DISP32_MAX; // 0x3fc00
export const WINDOW_HI = BASE_LO + BASE_SPAN + DISP32_MAX + INDEX_MAX * 8 + 8; // 0x41400
/** Size of the program's `data` block (random bytes, RIP-relative accesses). */
export const DATA_SIZE = 256;
/** String operations move at most this many bytes, inside the window. */
export const STRING_MAX_BYTES = 256;
