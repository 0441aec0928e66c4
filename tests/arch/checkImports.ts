/**
 * A small import checker over TypeScript source text, in the spirit of
 * Perfetto's tools/check_imports: find every import specifier with regular
 * expressions, resolve relative ones against the set of known files, and
 * report each import a rule forbids.
 *
 * It works on an in-memory map of repo-relative paths to source text, so the
 * self-tests can feed it synthetic files. Limits, by design: it reads
 * `import … from`, `import '…'`, `export … from` and `import('…')` with a
 * literal specifier; comments are ignored; a regular-expression literal that
 * contains a quote or `/*` can confuse the comment/string scanner.
 */
import { builtinModules } from 'node:module';
import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import type { GlobalBan, ImportRule } from './rules';

/** One import found in a file. */
export interface ImportRef {
  specifier: string;
  line: number;
  typeOnly: boolean;
}

/** One broken rule. */
export interface Violation {
  file: string;
  line: number;
  /** The import specifier as written, or the banned global's name. */
  what: string;
  /** The resolved target: a repo path, or a package name. */
  target: string;
  why: string;
}

/**
 * Returns the source with comments blanked out (newlines kept, so line numbers
 * stay right); with `blankStrings`, string and template text is blanked too
 * (the code inside `${…}` is kept).
 */
export function stripSource(src: string, blankStrings: boolean): string {
  let out = '';
  let i = 0;
  // Stack of open template literals; each entry is the `{` depth at which its `${` began.
  const templates: number[] = [];
  let braceDepth = 0;
  const blank = (s: string) => s.replace(/[^\n]/g, ' ');
  const readString = (quote: string): void => {
    let j = i + 1;
    while (j < src.length && src[j] !== quote && src[j] !== '\n') j += src[j] === '\\' ? 2 : 1;
    const text = src.slice(i, j + 1);
    out += blankStrings ? quote + blank(text.slice(1, -1)) + quote : text;
    i = j + 1;
  };
  const readTemplateChunk = (): void => {
    // i is just past a backtick or a closing `}` of `${…}`; read to the next backtick or `${`.
    let j = i;
    while (j < src.length && src[j] !== '`' && !(src[j] === '$' && src[j + 1] === '{')) {
      j += src[j] === '\\' ? 2 : 1;
    }
    const text = src.slice(i, j);
    out += blankStrings ? blank(text) : text;
    if (src[j] === '`') {
      out += '`';
      i = j + 1;
    } else {
      out += '${';
      templates.push(braceDepth);
      braceDepth += 1;
      i = j + 2;
    }
  };
  while (i < src.length) {
    const c = src[i];
    const next = src[i + 1];
    if (c === '/' && next === '/') {
      const end = src.indexOf('\n', i);
      const stop = end === -1 ? src.length : end;
      out += blank(src.slice(i, stop));
      i = stop;
    } else if (c === '/' && next === '*') {
      const end = src.indexOf('*/', i + 2);
      const stop = end === -1 ? src.length : end + 2;
      out += blank(src.slice(i, stop));
      i = stop;
    } else if (c === '"' || c === "'") {
      readString(c);
    } else if (c === '`') {
      out += '`';
      i += 1;
      readTemplateChunk();
    } else if (c === '{') {
      braceDepth += 1;
      out += c;
      i += 1;
    } else if (c === '}') {
      braceDepth -= 1;
      out += c;
      i += 1;
      if (templates.length > 0 && templates[templates.length - 1] === braceDepth) {
        templates.pop();
        readTemplateChunk();
      }
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}

const lineAt = (src: string, index: number): number => src.slice(0, index).split('\n').length;

/** Finds every import/export-from/dynamic-import specifier in TypeScript source. */
export function parseImports(src: string): ImportRef[] {
  const code = stripSource(src, false);
  // Same length and layout, with string text blanked: a keyword found in `code` is real code
  // only if it survives here (so `"import x from 'y'"` inside a string is not an import).
  const bare = stripSource(src, true);
  const refs: ImportRef[] = [];
  const patterns: Array<{ re: RegExp; spec: number; type?: number }> = [
    // import x from '…' / import type { x } from '…' / export { x } from '…' / export * from '…'
    {
      re: /\b(?:import|export)\s+(type\s+)?[^;'"`()=]*?\bfrom\s*(['"])([^'"\n]+)\2/g,
      type: 1,
      spec: 3,
    },
    // import '…' (side effect only)
    { re: /\bimport\s*(['"])([^'"\n]+)\1/g, spec: 2 },
    // import('…')
    { re: /\bimport\s*\(\s*(['"`])([^'"`\n]+)\1\s*[,)]/g, spec: 2 },
  ];
  for (const { re, spec, type } of patterns) {
    for (const m of code.matchAll(re)) {
      const at = m.index ?? 0;
      if (bare.slice(at, at + 6) !== m[0].slice(0, 6)) continue;
      refs.push({
        specifier: m[spec] as string,
        line: lineAt(code, at),
        typeOnly: type !== undefined && m[type] !== undefined,
      });
    }
  }
  return refs.sort((a, b) => a.line - b.line);
}

const BUILTINS = new Set(builtinModules);
const EXTENSIONS = ['', '.ts', '.tsx', '.d.ts', '/index.ts', '/index.tsx'];

/**
 * Resolves a specifier seen in `fromFile` to a repo path (for relative
 * specifiers) or a package name (`react`, `@scope/pkg`, `node:fs`).
 */
export function resolveSpecifier(
  fromFile: string,
  specifier: string,
  files: ReadonlySet<string>,
): { kind: 'path' | 'package'; target: string } {
  const spec = specifier.replace(/[?#].*$/, '');
  if (spec.startsWith('.') || spec.startsWith('/')) {
    const base = spec.startsWith('/')
      ? posix.normalize(spec.slice(1))
      : posix.join(posix.dirname(fromFile), spec);
    const stem = base.replace(/\.(js|jsx|mjs)$/, '');
    for (const ext of EXTENSIONS) {
      for (const candidate of [base + ext, stem + ext]) {
        if (files.has(candidate)) return { kind: 'path', target: candidate };
      }
    }
    return { kind: 'path', target: base };
  }
  if (spec.startsWith('node:')) return { kind: 'package', target: spec.split('/')[0] as string };
  const parts = spec.split('/');
  const name = spec.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
  return { kind: 'package', target: BUILTINS.has(name) ? `node:${name}` : name };
}

const under = (path: string, folder: string): boolean =>
  path === folder || path.startsWith(`${folder}/`);

function ruleMatches(rule: ImportRule, kind: 'path' | 'package', target: string): boolean {
  if (rule.except?.some((e) => target === e)) return false;
  if (rule.to.startsWith('src/')) return kind === 'path' && under(target, rule.to);
  if (kind !== 'package') return false;
  if (rule.to.endsWith('*')) return target.startsWith(rule.to.slice(0, -1));
  return target === rule.to;
}

/** Applies the import rules to every file in `files` (repo-relative path → source). */
export function checkImports(
  files: ReadonlyMap<string, string>,
  rules: readonly ImportRule[],
): Violation[] {
  const known = new Set(files.keys());
  const violations: Violation[] = [];
  for (const [file, src] of files) {
    const applicable = rules.filter((r) => under(file, r.from));
    if (applicable.length === 0) continue;
    for (const ref of parseImports(src)) {
      const { kind, target } = resolveSpecifier(file, ref.specifier, known);
      for (const rule of applicable) {
        if (ruleMatches(rule, kind, target)) {
          violations.push({ file, line: ref.line, what: ref.specifier, target, why: rule.why });
        }
      }
    }
  }
  return violations;
}

/** Reports every use of a banned global (comments and string text are ignored). */
export function checkGlobals(
  files: ReadonlyMap<string, string>,
  bans: readonly GlobalBan[],
): Violation[] {
  const violations: Violation[] = [];
  for (const [file, src] of files) {
    const applicable = bans.filter((b) => under(file, b.from));
    if (applicable.length === 0) continue;
    const code = stripSource(src, true);
    for (const ban of applicable) {
      const re = new RegExp(ban.pattern.source, 'g');
      for (const m of code.matchAll(re)) {
        violations.push({
          file,
          line: lineAt(code, m.index ?? 0),
          what: ban.name,
          target: ban.name,
          why: ban.why,
        });
      }
    }
  }
  return violations.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
}

/** Reads every .ts/.tsx file under `dir` (relative to `root`) into a path → source map. */
export function readSourceTree(root: string, dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (abs: string): void => {
    for (const entry of readdirSync(abs, { withFileTypes: true })) {
      const path = join(abs, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.tsx?$/.test(entry.name)) {
        files.set(relative(root, path).split('\\').join('/'), readFileSync(path, 'utf8'));
      }
    }
  };
  walk(join(root, dir));
  return files;
}

/** One line per violation, for a readable test failure. */
export function formatViolations(violations: readonly Violation[]): string {
  return violations
    .map((v) => `${v.file}:${v.line}: ${v.what} (${v.target}) is not allowed: ${v.why}`)
    .join('\n');
}
