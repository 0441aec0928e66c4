/**
 * The Monarch grammar of the guest assembly dialect (NASM-flavour Intel
 * syntax). Its instruction keywords are generated from the opcode table and
 * its register names from the register table, so the editor highlights
 * exactly what the assembler accepts. Pure data: no Monaco import here, so
 * tests can check it in Node.
 */
import { MNEMONICS, REGISTERS } from '../../../core';
import { DIRECTIVE_DOCS } from './directives';

/** Directives of the dialect: those the assembler accepts (directives.ts). */
export const DIRECTIVES: readonly string[] = DIRECTIVE_DOCS.map((d) => d.name);
/** Operand keywords of the dialect. */
export const OPERAND_KEYWORDS = [
  'byte',
  'word',
  'dword',
  'qword',
  'ptr',
  'rel',
  'abs',
  'short',
  'near',
] as const;
export const PREFIXES = ['rep', 'repe', 'repz', 'repne', 'repnz', 'lock'] as const;

/** The language id registered with Monaco. */
export const X86_LANGUAGE_ID = 'x86asm';

/** A Monarch tokenizer definition (the subset of IMonarchLanguage we use). */
export interface MonarchDefinition {
  ignoreCase: boolean;
  defaultToken: string;
  instructions: readonly string[];
  registers: readonly string[];
  directives: readonly string[];
  operandKeywords: readonly string[];
  prefixes: readonly string[];
  tokenizer: Record<string, unknown[]>;
}

export function x86Monarch(): MonarchDefinition {
  return {
    ignoreCase: true,
    defaultToken: '',
    instructions: [...MNEMONICS],
    registers: [...REGISTERS.keys()],
    directives: [...DIRECTIVES],
    operandKeywords: [...OPERAND_KEYWORDS],
    prefixes: [...PREFIXES],
    tokenizer: {
      root: [
        [/;.*$/, 'comment'],
        [/^\s*\.?[A-Za-z_?][\w.?$]*:/, 'type.identifier'],
        [
          /[A-Za-z_.?$][\w.?$]*/,
          {
            cases: {
              '@instructions': 'keyword',
              '@prefixes': 'keyword',
              '@registers': 'variable.predefined',
              '@directives': 'keyword.directive',
              '@operandKeywords': 'keyword.operator',
              '@default': 'identifier',
            },
          },
        ],
        [
          /0[xX][0-9a-fA-F_]+|[0-9][0-9a-fA-F_]*[hH]\b|0[bB][01_]+|[01_]+[bB]\b|0[oOqQ][0-7_]+|[0-9][0-9_]*/,
          'number',
        ],
        [/"[^"]*"|'[^']*'|`(?:[^`\\]|\\.)*`/, 'string'],
        [/[[\]]/, '@brackets'],
        [/[+\-*/%&|^~!<>,:()$]/, 'operator'],
      ],
    },
  };
}
