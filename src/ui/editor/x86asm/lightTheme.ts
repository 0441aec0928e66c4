/**
 * The editor's light theme: Monaco's `vs` base with token colours that reach
 * WCAG AA contrast (≥ 4.5:1, most ≥ 5.3:1) on the white pane, the light
 * counterpart of theme.ts. Same token names, same hue for each token as the
 * dark theme, darkened until it reads on white.
 */
export const X86_LIGHT_THEME_ID = 'hypercall-light';

/** Background of the editor in the light theme (the panes' --bg-pane). */
export const EDITOR_LIGHT_BACKGROUND = '#ffffff';

export const X86_LIGHT_THEME = {
  base: 'vs' as const,
  inherit: true,
  rules: [
    { token: '', foreground: '1f2328' },
    { token: 'comment', foreground: '5c6370', fontStyle: 'italic' },
    { token: 'keyword', foreground: '8a2fb5' },
    { token: 'keyword.directive', foreground: '00707f' },
    { token: 'keyword.operator', foreground: 'b3261e' },
    { token: 'variable.predefined', foreground: '8a5300' },
    { token: 'type.identifier', foreground: '0a5fc2' },
    { token: 'number', foreground: '9a4600' },
    { token: 'string', foreground: '2b7a2b' },
    { token: 'operator', foreground: '1f2328' },
    { token: 'identifier', foreground: '1f2328' },
  ],
  colors: {
    'editor.background': EDITOR_LIGHT_BACKGROUND,
    'editor.foreground': '#1f2328',
    'editorLineNumber.foreground': '#6e7781',
    'editorLineNumber.activeForeground': '#1f2328',
    'editorGutter.background': EDITOR_LIGHT_BACKGROUND,
  },
};
