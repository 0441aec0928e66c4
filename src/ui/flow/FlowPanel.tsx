import { Fragment } from 'react';
import type { ActivePhase } from './activePhase';

/** Props of {@link FlowPanel}. */
export interface FlowPanelProps {
  active: ActivePhase | null;
  /** The call chain as a list, outermost first (ActivePhase.chain joined, kept apart for wrapping). */
  chain: readonly string[];
}

function ValueList({ title, items }: { title: string; items: readonly string[] }) {
  return (
    <div className="flow-rw-group">
      <dt>{title}</dt>
      {items.length > 0 ? (
        items.map((item, i) => (
          <dd key={`${i}:${item}`} className="flow-mono">
            {item}
          </dd>
        ))
      ) : (
        <dd className="flow-dim">—</dd>
      )}
    </div>
  );
}

/**
 * The words beside the diagram, in a polite live region so a screen reader
 * hears each new phase: the phase and lane, its KVM function (the chain's
 * last element), the whole call chain, the Linux source path, the phase's
 * sentence with its values, what it read and wrote, and what this kind of
 * phase does (phases.ts).
 */
export function FlowPanel({ active, chain }: FlowPanelProps) {
  return (
    <div className="flow-panel" aria-live="polite">
      {active ? (
        <>
          <p className="flow-panel-head">
            <span className={`flow-badge${active.zone ? ` flow-zone-${active.zone}` : ''}`}>
              {active.phase}
            </span>{' '}
            <span>{active.lane}</span>{' '}
            <span className="flow-dim">
              t = {active.time} cycles · event #{active.index}
            </span>
          </p>
          <p className="flow-fn">
            <code className="flow-mono">{active.fn || '—'}</code>
            {active.model && <span className="flow-model-badge">model, not upstream KVM</span>}
          </p>
          {chain.length > 0 && (
            <p className="flow-chain">
              <span className="flow-dim">call chain </span>
              {chain.map((fn, i) => (
                <Fragment key={`${i}:${fn}`}>
                  {i > 0 && <span className="flow-dim"> → </span>}
                  <code className="flow-mono">{fn}</code>
                </Fragment>
              ))}
            </p>
          )}
          {active.source && (
            <p className="flow-source">
              <span className="flow-dim">source </span>
              <code className="flow-mono">{active.source}</code>
            </p>
          )}
          {active.text && <p className="flow-text">{active.text}</p>}
          {(active.reads.length > 0 || active.writes.length > 0) && (
            <dl className="flow-rw">
              <ValueList title="reads" items={active.reads} />
              <ValueList title="writes" items={active.writes} />
            </dl>
          )}
          {active.about && <p className="flow-about">{active.about}</p>}
        </>
      ) : (
        <p className="flow-empty">
          No phase yet. Run or step the guest to watch a VM exit travel guest → VM exit → KVM →
          (VMM) → resume.
        </p>
      )}
    </div>
  );
}
