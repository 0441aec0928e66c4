/**
 * The directives the assembler accepts (src/core/isa/parser.ts), with the
 * text completion inserts and a one-line explanation. `extern`, `default`,
 * `use16` and `use32` are left out: the assembler rejects them.
 *
 * Contract: every `example` assembles without errors (a unit test checks it
 * against the real assembler), so this list cannot promise what the
 * assembler refuses.
 */

export interface DirectiveDoc {
  name: string;
  /** How it is written, for the completion detail. */
  syntax: string;
  /** Monaco snippet syntax (`${1:count}` placeholders). */
  snippet: string;
  summary: string;
  /** A whole line that uses it; must assemble on its own. */
  example: string;
}

export const DIRECTIVE_DOCS: readonly DirectiveDoc[] = [
  {
    name: 'db',
    syntax: '[label] db value, "string", …',
    snippet: 'db ${1:0}',
    summary: 'Emit bytes (numbers or strings).',
    example: 'msg db "hello", 10, 0',
  },
  {
    name: 'dw',
    syntax: '[label] dw value, …',
    snippet: 'dw ${1:0}',
    summary: 'Emit 16-bit words, little-endian.',
    example: 'w dw 0x1234',
  },
  {
    name: 'dd',
    syntax: '[label] dd value, …',
    snippet: 'dd ${1:0}',
    summary: 'Emit 32-bit doublewords, little-endian.',
    example: 'd dd 0x12345678',
  },
  {
    name: 'dq',
    syntax: '[label] dq value, …',
    snippet: 'dq ${1:0}',
    summary: 'Emit 64-bit quadwords, little-endian.',
    example: 'q dq 0',
  },
  {
    name: 'resb',
    syntax: '[label] resb count',
    snippet: 'resb ${1:1}',
    summary: 'Reserve count bytes (zero-filled in the flat image).',
    example: 'buf resb 16',
  },
  {
    name: 'resw',
    syntax: '[label] resw count',
    snippet: 'resw ${1:1}',
    summary: 'Reserve count words.',
    example: 'words resw 4',
  },
  {
    name: 'resd',
    syntax: '[label] resd count',
    snippet: 'resd ${1:1}',
    summary: 'Reserve count doublewords.',
    example: 'dwords resd 4',
  },
  {
    name: 'resq',
    syntax: '[label] resq count',
    snippet: 'resq ${1:1}',
    summary: 'Reserve count quadwords.',
    example: 'stack resq 64',
  },
  {
    name: 'times',
    syntax: 'times count instruction-or-data',
    snippet: 'times ${1:count} ${2:nop}',
    summary: 'Repeat an instruction or a data line count times.',
    example: 'times 4 nop',
  },
  {
    name: 'equ',
    syntax: 'name equ value',
    snippet: 'equ ${1:0}',
    summary: 'Define a constant (no bytes emitted).',
    example: 'PORT equ 0x3f8',
  },
  {
    name: 'align',
    syntax: 'align boundary',
    snippet: 'align ${1:8}',
    summary: 'Pad to a multiple of boundary (a power of two).',
    example: 'align 8',
  },
  {
    name: 'org',
    syntax: 'org address',
    snippet: 'org ${1:0x10000}',
    summary: 'Set the load address of the image (default 0x10000).',
    example: 'org 0x10000',
  },
  {
    name: 'bits',
    syntax: 'bits 64',
    snippet: 'bits 64',
    summary: 'Select 64-bit code (the only mode this assembler supports).',
    example: 'bits 64',
  },
  {
    name: 'use64',
    syntax: 'use64',
    snippet: 'use64',
    summary: 'Same as bits 64.',
    example: 'use64',
  },
  {
    name: 'section',
    syntax: 'section name',
    snippet: 'section .${1:text}',
    summary: 'Accepted and ignored: the image is one flat section.',
    example: 'section .text',
  },
  {
    name: 'segment',
    syntax: 'segment name',
    snippet: 'segment .${1:text}',
    summary: 'Same as section (accepted and ignored).',
    example: 'segment .data',
  },
  {
    name: 'global',
    syntax: 'global name',
    snippet: 'global ${1:_start}',
    summary: 'Accepted and ignored; execution starts at _start if it is defined.',
    example: 'global _start',
  },
];

/** The directive called `name` (any case), or undefined. */
export function directiveDoc(name: string): DirectiveDoc | undefined {
  const lower = name.toLowerCase();
  return DIRECTIVE_DOCS.find((d) => d.name === lower);
}
