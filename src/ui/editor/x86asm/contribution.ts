/**
 * Register the x86 assembly language with a Monaco instance: the Monarch
 * tokenizer (language.ts) and `;` line comments with bracket matching.
 * Hovers, completion and markers come with the editor features built on it.
 */
import type { Monaco } from '../loadMonaco';
import { X86_LANGUAGE_ID, x86Monarch } from './language';

let registered = false;

export function registerX86Language(monaco: Monaco): void {
  if (registered) return;
  registered = true;
  monaco.languages.register({
    id: X86_LANGUAGE_ID,
    extensions: ['.s', '.asm'],
    aliases: ['x86-64 assembly'],
  });
  monaco.languages.setMonarchTokensProvider(X86_LANGUAGE_ID, x86Monarch() as never);
  monaco.languages.setLanguageConfiguration(X86_LANGUAGE_ID, {
    comments: { lineComment: ';' },
    brackets: [
      ['[', ']'],
      ['(', ')'],
    ],
  });
}
