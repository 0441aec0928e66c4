import { useLab } from '../../app/LabContext';

/** One line saying what just happened (why Run was refused, why a run stopped). */
export function StatusBar() {
  const message = useLab((s) => s.message);
  const isError = useLab((s) => s.messageIsError);
  const running = useLab((s) => s.running);
  const ticks = useLab((s) => s.view?.ticks ?? 0);
  const exits = useLab((s) => s.view?.exits ?? 0);
  const engine = useLab((s) => s.view?.engine);
  return (
    <div className="status-bar">
      <p role="status" aria-live="polite" className={isError ? 'status-text error' : 'status-text'}>
        {running ? 'Running…' : (message ?? '')}
      </p>
      <p className="status-counters" aria-label="Position">
        {exits} VM exits · position {ticks}
        {engine && ` · ${engine === 'jit' ? 'block JIT' : 'interpreter'}`}
      </p>
    </div>
  );
}
