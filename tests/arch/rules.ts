/**
 * The dependency rules of DESIGN.md §1 and STYLE.md §1, written as data with a
 * reason each (like Perfetto's tools/check_imports). The checker in
 * checkImports.ts applies them; tests/arch/layering.test.ts fails CI on any
 * violation.
 *
 * A rule `{ from, to, why }` forbids any file under `from` to import `to`:
 * - `to` starting with `src/` is a repo path: the folder itself and everything
 *   under it, or one exact file (`src/core/index.ts`);
 * - any other `to` is a package name (`react` also matches `react/jsx-runtime`);
 *   a trailing `*` matches by prefix (`d3-*`, `node:*`, the latter also
 *   matching bare built-ins such as `fs`).
 * `except` lists targets the rule lets through.
 * Every import counts, type-only ones included: a type import still ties the
 * layer to the other module's shape.
 */

/** One forbidden dependency. */
export interface ImportRule {
  from: string;
  to: string;
  why: string;
  except?: readonly string[];
}

/** One banned global, found by `pattern` in code with comments and strings removed. */
export interface GlobalBan {
  from: string;
  name: string;
  pattern: RegExp;
  why: string;
}

/** Inside core, outermost first: a layer may import only layers to its right (and `trace`). */
export const CORE_LAYERS = ['session', 'vmm', 'kvm', 'vmx', 'cpu', 'isa'] as const;

const HEADLESS = 'core must run headless: in Node for tests and the CLI, and in a Worker';

function coreLayerRules(): ImportRule[] {
  const rules: ImportRule[] = [];
  CORE_LAYERS.forEach((inner, i) => {
    for (const outer of CORE_LAYERS.slice(0, i)) {
      rules.push({
        from: `src/core/${inner}`,
        to: `src/core/${outer}`,
        why: `core layers run ${CORE_LAYERS.join(' -> ')}; ${inner} is below ${outer} and must not know it`,
      });
    }
  });
  for (const layer of CORE_LAYERS) {
    rules.push({
      from: 'src/core/trace',
      to: `src/core/${layer}`,
      why: 'trace is the leaf vocabulary every core layer writes to; it imports none of them (no cycles)',
    });
  }
  for (const layer of [...CORE_LAYERS, 'trace']) {
    rules.push({
      from: `src/core/${layer}`,
      to: 'src/core/index.ts',
      why: 'core/index.ts re-exports every layer; importing it from inside core hides an upward dependency',
    });
  }
  return rules;
}

/** All import rules. */
export const IMPORT_RULES: readonly ImportRule[] = [
  // core: pure, deterministic, no DOM and no UI libraries.
  { from: 'src/core', to: 'react', why: `${HEADLESS}; React belongs to src/ui` },
  { from: 'src/core', to: 'react-dom', why: `${HEADLESS}; React belongs to src/ui` },
  { from: 'src/core', to: 'd3', why: `${HEADLESS}; D3 draws in src/ui` },
  { from: 'src/core', to: 'd3-*', why: `${HEADLESS}; D3 draws in src/ui` },
  { from: 'src/core', to: 'monaco-editor', why: `${HEADLESS}; Monaco is the editor in src/ui` },
  { from: 'src/core', to: 'zustand', why: `${HEADLESS}; the store lives in src/app` },
  {
    from: 'src/core',
    to: 'node:*',
    why: 'core also runs in a browser Worker, which has no Node built-ins',
  },
  { from: 'src/core', to: 'src/ui', why: `${HEADLESS}; arrows point ui -> app -> worker -> core` },
  { from: 'src/core', to: 'src/app', why: `${HEADLESS}; arrows point ui -> app -> worker -> core` },
  {
    from: 'src/core',
    to: 'src/worker',
    why: `${HEADLESS}; the worker drives core, not the reverse`,
  },
  { from: 'src/core', to: 'src/cli', why: 'the CLI drives core, not the reverse' },
  {
    from: 'src/core',
    to: 'src/lessons',
    why: 'lessons are content run on core; core knows no lesson',
  },
  ...coreLayerRules(),

  // worker: runs a session off the main thread; knows core and the message protocol only.
  {
    from: 'src/worker',
    to: 'src/ui',
    why: 'the worker has no DOM; arrows point ui -> app -> worker',
  },
  {
    from: 'src/worker',
    to: 'src/app',
    why: 'the worker talks to the app by messages, not imports',
  },
  { from: 'src/worker', to: 'react', why: 'the worker has no DOM to render into' },
  { from: 'src/worker', to: 'react-dom', why: 'the worker has no DOM to render into' },
  { from: 'src/worker', to: 'monaco-editor', why: 'the worker has no DOM; Monaco lives in src/ui' },

  // app: store, URL codec, persistence; below the UI.
  { from: 'src/app', to: 'src/ui', why: 'arrows point ui -> app: the store never knows its views' },
  {
    from: 'src/app',
    to: 'monaco-editor',
    why: 'the store holds serializable values; the editor instance lives in src/ui',
  },

  // ui, app and worker see core only through its public surface.
  {
    from: 'src/ui',
    to: 'src/core',
    except: ['src/core/index.ts'],
    why: 'the UI sees core only through its public surface src/core/index.ts (STYLE.md §1)',
  },
  {
    from: 'src/app',
    to: 'src/core',
    except: ['src/core/index.ts'],
    why: 'the app sees core only through its public surface src/core/index.ts (STYLE.md §1)',
  },
  {
    from: 'src/worker',
    to: 'src/core',
    except: ['src/core/index.ts'],
    why: 'the worker sees core only through its public surface src/core/index.ts (STYLE.md §1)',
  },

  // lessons are data; the CLI is headless.
  {
    from: 'src/lessons',
    to: 'src/ui',
    why: 'lessons are data, shown by the UI and run by the CLI alike',
  },
  {
    from: 'src/lessons',
    to: 'src/app',
    why: 'lessons are data, shown by the UI and run by the CLI alike',
  },
  {
    from: 'src/lessons',
    to: 'src/worker',
    why: 'lessons are data, shown by the UI and run by the CLI alike',
  },
  { from: 'src/lessons', to: 'react', why: 'lessons are data, not components' },
  {
    from: 'src/cli',
    to: 'src/ui',
    why: 'the CLI runs in Node without a DOM; if it needs one, the layering is broken',
  },
  { from: 'src/cli', to: 'src/app', why: 'the CLI drives core directly, like Ripes src/cli' },
  { from: 'src/cli', to: 'src/worker', why: 'the CLI drives core directly, like Ripes src/cli' },
  { from: 'src/cli', to: 'react', why: 'the CLI runs in Node without a DOM' },
  { from: 'src/cli', to: 'monaco-editor', why: 'the CLI runs in Node without a DOM' },
];

const DOM = 'core has no DOM: it runs in Node and in a Worker';
const DETERMINISM =
  'core is a pure function of (program, config, seed): the same run must give the identical trace';

/** Globals core must not touch. */
export const GLOBAL_BANS: readonly GlobalBan[] = [
  { from: 'src/core', name: 'document', pattern: /\bdocument\s*\./, why: DOM },
  { from: 'src/core', name: 'window', pattern: /\bwindow\s*\./, why: DOM },
  {
    from: 'src/core',
    name: 'localStorage',
    pattern: /\blocalStorage\b/,
    why: `${DOM}; persistence is src/app's job`,
  },
  {
    from: 'src/core',
    name: 'sessionStorage',
    pattern: /\bsessionStorage\b/,
    why: `${DOM}; persistence is src/app's job`,
  },
  { from: 'src/core', name: 'navigator', pattern: /\bnavigator\s*\./, why: DOM },
  {
    from: 'src/core',
    name: 'Math.random',
    pattern: /\bMath\s*\.\s*random\b/,
    why: `${DETERMINISM}; use the seeded PRNG in the machine state`,
  },
  {
    from: 'src/core',
    name: 'Date.now',
    pattern: /\bDate\s*\.\s*now\b/,
    why: `${DETERMINISM}; time is the retired-instruction counter`,
  },
  {
    from: 'src/core',
    name: 'new Date',
    pattern: /\bnew\s+Date\b/,
    why: `${DETERMINISM}; time is the retired-instruction counter`,
  },
  {
    from: 'src/core',
    name: 'performance.now',
    pattern: /\bperformance\s*\.\s*now\b/,
    why: `${DETERMINISM}; time is the retired-instruction counter`,
  },
  {
    from: 'src/core',
    name: 'setTimeout',
    pattern: /\bsetTimeout\s*\(/,
    why: `${DETERMINISM}; pacing belongs to the worker or the UI`,
  },
  {
    from: 'src/core',
    name: 'setInterval',
    pattern: /\bsetInterval\s*\(/,
    why: `${DETERMINISM}; pacing belongs to the worker or the UI`,
  },
  {
    from: 'src/core',
    name: 'requestAnimationFrame',
    pattern: /\brequestAnimationFrame\b/,
    why: `${DOM}; animation belongs to the UI`,
  },
];
