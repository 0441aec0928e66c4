import type { ActivePhase } from './activePhase';
import { STATUS_BOX, type ZoneId } from './graph';
import { fitText } from './textFit';

/** Where the active phase runs, in words. */
export const ZONE_WHERE: Readonly<Record<ZoneId, string>> = {
  guest: 'in the guest',
  hardware: 'in the CPU',
  kernel: 'in KVM (host kernel)',
  userspace: 'in the VMM (userspace)',
};

/** Props of {@link FlowStatus}. */
export interface FlowStatusProps {
  active: ActivePhase | null;
}

/**
 * The top-right box of the SVG: the active phase at a glance (phase and
 * lane, its function, where it runs, time), so a small pane shows the
 * essentials even when the text panel is scrolled away. Decorative for
 * assistive technology: the SVG's label and the live panel say the same.
 */
export function FlowStatus({ active }: FlowStatusProps) {
  const { x, y, w, h } = STATUS_BOX;
  const left = x + 8;
  const inner = w - 16;
  return (
    <g className={`flow-status${active?.zone ? ` flow-zone-${active.zone}` : ''}`}>
      <rect className="flow-status-box" x={x} y={y} width={w} height={h} rx={6} />
      <text className="flow-status-kicker" x={left} y={y + 15}>
        ACTIVE PHASE
      </text>
      {active ? (
        <>
          <text className="flow-status-phase" x={left} y={y + 34}>
            {fitText(`${active.phase} · ${active.lane}`, inner, { size: 13, bold: true })}
          </text>
          <text className="flow-status-fn" x={left} y={y + 53}>
            {fitText(active.fn, inner, { size: 10, mono: true })}
          </text>
          <text className="flow-status-where" x={left} y={y + 72}>
            {active.zone ? ZONE_WHERE[active.zone] : 'unknown phase'}
          </text>
          <text className="flow-status-time" x={left} y={y + 92}>
            {fitText(`t = ${active.time} cycles · #${active.index}`, inner, { size: 9.5 })}
          </text>
        </>
      ) : (
        <text className="flow-status-where" x={left} y={y + 36}>
          none yet: run or step
        </text>
      )}
    </g>
  );
}
