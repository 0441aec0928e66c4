/**
 * The editor's colour theme: Monaco's vs-dark base with token colours that
 * reach WCAG AA contrast (≥ 4.5:1) on the pane background, so a projected
 * program stays readable (vs-dark's comment green and some token colours
 * fall below it). Token names are those the Monarch grammar emits.
 */
export const X86_THEME_ID = 'hypercall-dark';

/** Background of the editor (the panes' --bg-pane). */
export const EDITOR_BACKGROUND = '#1e2127';

export const X86_THEME = {
  base: 'vs-dark' as const,
  inherit: true,
  rules: [
    { token: '', foreground: 'd7dae0' },
    { token: 'comment', foreground: 'aab3c2', fontStyle: 'italic' },
    { token: 'keyword', foreground: 'd19cf0' },
    { token: 'keyword.directive', foreground: '5fc4d0' },
    { token: 'keyword.operator', foreground: 'f08a94' },
    { token: 'variable.predefined', foreground: 'e5c07b' },
    { token: 'type.identifier', foreground: '6cb8f5' },
    { token: 'number', foreground: 'dba374' },
    { token: 'string', foreground: '9ccd7f' },
    { token: 'operator', foreground: 'd7dae0' },
    { token: 'identifier', foreground: 'd7dae0' },
  ],
  colors: {
    'editor.background': EDITOR_BACKGROUND,
    'editorLineNumber.foreground': '#8e97a8',
    'editorLineNumber.activeForeground': '#d7dae0',
    'editorGutter.background': EDITOR_BACKGROUND,
  },
};
