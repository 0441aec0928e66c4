/**
 * Register the x86 assembly language with a Monaco instance: the Monarch
 * tokenizer (language.ts), `;` line comments with bracket matching, and the
 * hover and completion providers (providers.ts), and the editor themes
 * (themes.ts). Idempotent: providers are
 * global per language, so a second editor must not register them again.
 */
import type { Monaco } from '../loadMonaco';
import { X86_LANGUAGE_ID, x86Monarch } from './language';
import { registerX86Providers } from './providers';
import { EDITOR_THEMES } from './themes';

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
  registerX86Providers(monaco);
  for (const { id, data } of Object.values(EDITOR_THEMES)) monaco.editor.defineTheme(id, data);
}
