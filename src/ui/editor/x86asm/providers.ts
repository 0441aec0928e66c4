/**
 * Monaco adapters for the language features whose content is built in plain
 * modules: hovers (hover.ts) and completion (completion.ts). Registered once
 * per Monaco instance by registerX86Language (providers are global per
 * language, not per editor).
 */
import type { Monaco } from '../loadMonaco';
import { completionsAt, type CompletionKind } from './completion';
import { hoverAt } from './hover';
import { X86_LANGUAGE_ID } from './language';

type Languages = Monaco['languages'];

function itemKind(languages: Languages, kind: CompletionKind): number {
  const K = languages.CompletionItemKind;
  switch (kind) {
    case 'instruction':
    case 'prefix':
    case 'keyword':
      return K.Keyword;
    case 'directive':
      return K.Snippet;
    case 'register':
      return K.Variable;
    case 'symbol':
      return K.Reference;
    case 'hypercall':
      return K.Constant;
  }
}

/** Register the hover and completion providers; returns their disposables. */
export function registerX86Providers(monaco: Monaco): { dispose(): void }[] {
  const { languages } = monaco;
  const hover = languages.registerHoverProvider(X86_LANGUAGE_ID, {
    provideHover(model, position) {
      const h = hoverAt(model.getLinesContent(), position.lineNumber, position.column);
      if (h === undefined) return null;
      return {
        range: new monaco.Range(
          position.lineNumber,
          h.startColumn,
          position.lineNumber,
          h.endColumn,
        ),
        contents: h.contents.map((value) => ({ value })),
      };
    },
  });
  const completion = languages.registerCompletionItemProvider(X86_LANGUAGE_ID, {
    provideCompletionItems(model, position) {
      const r = completionsAt(model.getLinesContent(), position.lineNumber, position.column);
      const line = position.lineNumber;
      const range = {
        insert: new monaco.Range(line, r.startColumn, line, position.column),
        replace: new monaco.Range(
          line,
          r.startColumn,
          line,
          Math.max(r.endColumn, position.column),
        ),
      };
      return {
        suggestions: r.items.map((item) => ({
          label: item.label,
          kind: itemKind(languages, item.kind),
          insertText: item.insertText,
          insertTextRules: item.snippet
            ? languages.CompletionItemInsertTextRule.InsertAsSnippet
            : undefined,
          filterText: item.filterText,
          detail: item.detail,
          documentation: item.documentation ? { value: item.documentation } : undefined,
          sortText: item.sortText,
          range,
        })),
      };
    },
  });
  return [hover, completion];
}
