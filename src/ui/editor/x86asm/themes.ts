/**
 * Every editor theme the page can ask for, by name: dark and light, each
 * also in a projector variant (higher contrast: a darker or whiter
 * background, brighter or darker tokens, ≥ 7:1 for body text). The shell
 * picks a name from the theme and projector settings; registerX86Language
 * defines them all with Monaco.
 */
import { X86_LIGHT_THEME, X86_LIGHT_THEME_ID } from './lightTheme';
import { X86_THEME, X86_THEME_ID } from './theme';

export type EditorThemeName = 'dark' | 'light' | 'dark-projector' | 'light-projector';

type ThemeData = typeof X86_THEME | typeof X86_LIGHT_THEME;

const DARK_PROJECTOR_BG = '#0b0c0f';
const LIGHT_PROJECTOR_BG = '#ffffff';

const DARK_PROJECTOR = {
  base: 'vs-dark' as const,
  inherit: true,
  rules: [
    { token: '', foreground: 'f0f2f5' },
    { token: 'comment', foreground: 'c9ced8', fontStyle: 'italic' },
    { token: 'keyword', foreground: 'e2b8ff' },
    { token: 'keyword.directive', foreground: '7fe0ea' },
    { token: 'keyword.operator', foreground: 'ffa3ab' },
    { token: 'variable.predefined', foreground: 'ffd98a' },
    { token: 'type.identifier', foreground: '8fcbff' },
    { token: 'number', foreground: 'f0b88a' },
    { token: 'string', foreground: 'b5e69a' },
    { token: 'operator', foreground: 'f0f2f5' },
    { token: 'identifier', foreground: 'f0f2f5' },
  ],
  colors: {
    'editor.background': DARK_PROJECTOR_BG,
    'editorLineNumber.foreground': '#a9b1bf',
    'editorLineNumber.activeForeground': '#ffffff',
    'editorGutter.background': DARK_PROJECTOR_BG,
  },
};

const LIGHT_PROJECTOR = {
  base: 'vs' as const,
  inherit: true,
  rules: [
    { token: '', foreground: '000000' },
    { token: 'comment', foreground: '3d4450', fontStyle: 'italic' },
    { token: 'keyword', foreground: '6a1b9a' },
    { token: 'keyword.directive', foreground: '005a66' },
    { token: 'keyword.operator', foreground: '9b1c14' },
    { token: 'variable.predefined', foreground: '6b3f00' },
    { token: 'type.identifier', foreground: '00408f' },
    { token: 'number', foreground: '7a3500' },
    { token: 'string', foreground: '1e5e1e' },
    { token: 'operator', foreground: '000000' },
    { token: 'identifier', foreground: '000000' },
  ],
  colors: {
    'editor.background': LIGHT_PROJECTOR_BG,
    'editor.foreground': '#000000',
    'editorLineNumber.foreground': '#3d4450',
    'editorLineNumber.activeForeground': '#000000',
    'editorGutter.background': LIGHT_PROJECTOR_BG,
  },
};

/** Monaco theme id and definition of each name. */
export const EDITOR_THEMES: Readonly<Record<EditorThemeName, { id: string; data: ThemeData }>> = {
  dark: { id: X86_THEME_ID, data: X86_THEME },
  light: { id: X86_LIGHT_THEME_ID, data: X86_LIGHT_THEME },
  'dark-projector': { id: 'hypercall-dark-projector', data: DARK_PROJECTOR },
  'light-projector': { id: 'hypercall-light-projector', data: LIGHT_PROJECTOR },
};

/** The theme name for the page's theme and projector setting. */
export function editorThemeName(theme: 'dark' | 'light', projector: boolean): EditorThemeName {
  return projector ? `${theme}-projector` : theme;
}
