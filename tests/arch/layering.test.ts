import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  checkGlobals,
  checkImports,
  formatViolations,
  parseImports,
  readSourceTree,
  stripSource,
} from './checkImports';
import { CORE_LAYERS, GLOBAL_BANS, IMPORT_RULES } from './rules';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('the repository obeys the layering rules (DESIGN.md §1)', () => {
  const files = readSourceTree(ROOT, 'src');

  it('scans the real source tree', () => {
    // Guards against a vacuous pass: the shell and the example program must be seen.
    expect(files.has('src/main.tsx')).toBe(true);
    expect(files.has('src/ui/shell/App.tsx')).toBe(true);
    expect(files.has('src/lessons/examples/hello.ts')).toBe(true);
  });

  it('has no forbidden import', () => {
    const violations = checkImports(files, IMPORT_RULES);
    expect(violations, formatViolations(violations)).toEqual([]);
  });

  it('uses no DOM or nondeterministic global in core', () => {
    const violations = checkGlobals(files, GLOBAL_BANS);
    expect(violations, formatViolations(violations)).toEqual([]);
  });
});

describe('the import parser', () => {
  it('finds static, re-export, side-effect and dynamic imports with line numbers', () => {
    const src = [
      "import a from './a';",
      "import type { B } from '../b';",
      'import {',
      '  c,',
      "  d } from 'pkg';",
      "export * from './e';",
      "export { f } from './f';",
      "import './side.css';",
      "const g = await import('./g');",
      "import Worker from 'monaco-editor/editor/editor.worker?worker';",
    ].join('\n');
    expect(parseImports(src).map((r) => [r.line, r.specifier, r.typeOnly])).toEqual([
      [1, './a', false],
      [2, '../b', true],
      [3, 'pkg', false],
      [6, './e', false],
      [7, './f', false],
      [8, './side.css', false],
      [9, './g', false],
      [10, 'monaco-editor/editor/editor.worker?worker', false],
    ]);
  });

  it('ignores imports in comments and strings', () => {
    const src = [
      "// import x from 'react';",
      "/* import('react') */",
      'const s = "import y from \'react\'";',
      "const t = `no import('react') here ${1 + 1}`;",
    ].join('\n');
    expect(parseImports(src)).toEqual([]);
    expect(stripSource(src, true)).not.toMatch(/react/);
  });
});

describe('the checker flags synthetic violations', () => {
  const check = (files: Record<string, string>) =>
    checkImports(new Map(Object.entries(files)), IMPORT_RULES);

  it('flags an inner core layer importing an outer one, with the reason', () => {
    const violations = check({
      'src/core/isa/decoder.ts': "import { CpuState } from '../cpu/state';",
      'src/core/cpu/state.ts': 'export interface CpuState {}',
    });
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({
      file: 'src/core/isa/decoder.ts',
      line: 1,
      target: 'src/core/cpu/state.ts',
    });
    expect(violations[0]?.why).toMatch(/isa is below cpu/);
  });

  it('allows the outer-to-inner direction and imports of trace', () => {
    expect(
      check({
        'src/core/session/session.ts':
          "import { run } from '../vmm/vmm';\nimport '../trace/events';",
        'src/core/vmm/vmm.ts': "import { vcpuRun } from '../kvm';",
        'src/core/kvm/index.ts': "import { step } from '../cpu/step';",
        'src/core/cpu/step.ts': "import type { Insn } from '../isa';\nimport '../trace/events';",
      }),
    ).toEqual([]);
  });

  it('flags every layer pair in the wrong direction', () => {
    for (const [i, outer] of CORE_LAYERS.entries()) {
      for (const inner of CORE_LAYERS.slice(i + 1)) {
        const v = check({ [`src/core/${inner}/x.ts`]: `import '../${outer}/y';` });
        expect(v, `${inner} -> ${outer}`).toHaveLength(1);
      }
    }
  });

  it('flags trace importing a core layer, even for types', () => {
    const v = check({
      'src/core/trace/events.ts': "import type { CpuState } from '../cpu/state';",
    });
    expect(v).toHaveLength(1);
  });

  it('flags UI libraries and the DOM layers in core', () => {
    const v = check({
      'src/core/kvm/run.ts': [
        "import { createRoot } from 'react-dom/client';",
        "import { scaleLinear } from 'd3-scale';",
        "import * as monaco from 'monaco-editor';",
        "import { readFileSync } from 'fs';",
        "const ui = await import('../../ui/shell/App');",
        "export { useStore } from '../../app/store';",
      ].join('\n'),
    });
    expect(v.map((x) => x.target)).toEqual([
      'react-dom',
      'd3-scale',
      'monaco-editor',
      'node:fs',
      'src/ui/shell/App',
      'src/app/store',
    ]);
  });

  it('flags app importing ui and worker importing app', () => {
    const v = check({
      'src/app/store.ts': "import { App } from '../ui/shell/App';",
      'src/worker/main.ts': "import { store } from '../app/store';",
    });
    expect(v.map((x) => x.file)).toEqual(['src/app/store.ts', 'src/worker/main.ts']);
  });

  it('lets ui reach core through src/core/index.ts only', () => {
    const files = {
      'src/core/index.ts': "export * from './isa';",
      'src/ui/a.ts': "import { assemble } from '../core';",
      'src/ui/b.ts': "import { assemble } from '../core/isa/assembler';",
    };
    expect(check(files).map((x) => x.file)).toEqual(['src/ui/b.ts']);
  });

  it('flags banned globals in core code but not in comments, strings or other layers', () => {
    const files = new Map(
      Object.entries({
        'src/core/cpu/rng.ts': [
          '// never Math.random() here',
          "const note = 'see document.title';",
          'export const r = Math.random();',
          'export const t = Date.now() + performance.now();',
          'window.x = 1;',
        ].join('\n'),
        'src/ui/clock.ts': 'export const t = Date.now();',
      }),
    );
    const v = checkGlobals(files, GLOBAL_BANS);
    expect(v.map((x) => [x.line, x.what])).toEqual([
      [3, 'Math.random'],
      [4, 'Date.now'],
      [4, 'performance.now'],
      [5, 'window'],
    ]);
  });
});
