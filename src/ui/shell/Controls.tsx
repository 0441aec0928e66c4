import { shortcutOf, type KeyAction } from '../../app/keys';
import { useLab, useLabActions } from '../../app/LabContext';
import { selectRunning } from '../../app/selectors';
import { SPEEDS, type Theme, type Vendor } from '../../app/store';

/** The run controls' accessible names, in toolbar order; the first five are a contract (DESIGN.md §5). */
export const CONTROL_NAMES = [
  'Run',
  'Pause',
  'Step',
  'Step phase',
  'Next exit',
  'Step out',
  'Step back',
  'Reset',
] as const;

const ACTION_OF: Record<(typeof CONTROL_NAMES)[number], KeyAction> = {
  Run: 'run',
  Pause: 'pause',
  Step: 'step',
  'Step phase': 'stepPhase',
  'Next exit': 'nextExit',
  'Step out': 'stepOut',
  'Step back': 'stepBack',
  Reset: 'reset',
};

const HELP: Record<KeyAction, string> = {
  run: 'Continue until a breakpoint or the end',
  pause: 'Pause a run',
  step: 'One guest instruction (or one host phase while the vCPU is in KVM)',
  stepPhase: 'Step into the host: one phase of the exit chain',
  nextExit: 'Run to the next VM exit',
  stepOut: 'Back out to the guest: run until VM entry',
  stepBack: 'Undo the last command (exact state)',
  reset: 'Rebuild the machine from the program',
};

/**
 * The toolbar: run controls (with the keys of KEYMAP); Share and Reset
 * lesson; speed, vendor, vCPU count, theme and projector mode. Names are a
 * contract for tests and screen readers.
 */
export function Controls() {
  const actions = useLabActions();
  const running = useLab(selectRunning);
  const speed = useLab((s) => s.speed);
  const vendor = useLab((s) => s.vendor);
  const vcpus = useLab((s) => s.vcpus);
  const theme = useLab((s) => s.theme);
  const projector = useLab((s) => s.projector);
  const inLesson = useLab((s) => s.lesson !== null);
  const enabled = (name: (typeof CONTROL_NAMES)[number]): boolean => {
    if (name === 'Pause') return running;
    if (name === 'Reset') return true;
    return !running;
  };
  const label = SPEEDS.find((s) => s.level === speed)?.label ?? '';
  return (
    <div className="controls-bar">
      <div role="toolbar" aria-label="Run controls" className="controls">
        {CONTROL_NAMES.map((name) => {
          const action = ACTION_OF[name];
          const key = shortcutOf(action);
          return (
            <button
              key={name}
              type="button"
              disabled={!enabled(name)}
              aria-keyshortcuts={key || undefined}
              title={`${HELP[action]}${key ? ` (${key})` : ''}`}
              onClick={() => actions[action]()}
            >
              {name}
            </button>
          );
        })}
      </div>
      <div className="program-actions" role="group" aria-label="Program">
        <button
          type="button"
          title="Copy a link that opens this program, its settings and this point of the run"
          onClick={() => void actions.share()}
        >
          Share
        </button>
        <button
          type="button"
          disabled={running}
          title={
            inLesson
              ? 'Put back the lesson’s original program (Undo follows)'
              : 'Put back the example program (Undo follows)'
          }
          onClick={actions.resetLesson}
        >
          Reset lesson
        </button>
      </div>
      <div className="settings" role="group" aria-label="Settings">
        <label>
          Speed
          <input
            type="range"
            min={1}
            max={5}
            step={1}
            value={speed}
            aria-valuetext={label}
            onChange={(e) => actions.setSpeed(Number(e.target.value))}
          />
          <span className="setting-value">{label}</span>
        </label>
        <label>
          Vendor
          <select
            value={vendor}
            disabled={running}
            onChange={(e) => actions.setVendor(e.target.value as Vendor)}
          >
            <option value="intel">Intel (VMX)</option>
            <option value="amd">AMD (SVM)</option>
          </select>
        </label>
        <label>
          vCPUs
          <select
            value={vcpus}
            disabled={running}
            onChange={(e) => actions.setVcpus(Number(e.target.value))}
          >
            {[1, 2, 3, 4].map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        </label>
        <label>
          Theme
          <select value={theme} onChange={(e) => actions.setTheme(e.target.value as Theme)}>
            <option value="dark">Dark</option>
            <option value="light">Light</option>
          </select>
        </label>
        <button
          type="button"
          className="toggle"
          aria-pressed={projector}
          title="Large type everywhere and higher contrast, for a projector"
          onClick={() => actions.setProjector(!projector)}
        >
          Projector mode
        </button>
      </div>
    </div>
  );
}
