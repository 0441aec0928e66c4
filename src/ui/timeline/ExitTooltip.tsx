import type { Ref } from 'react';
import type { TimelineData } from '../../core';
import { formatCycles } from './format';

/** Props of {@link ExitTooltip}. */
export interface ExitTooltipProps {
  data: TimelineData;
  /** The hovered exit, or null (the tooltip stays mounted but hidden, so it can be positioned before it shows). */
  exit: number | null;
  /** Exits starting in the hovered pixel column of that lane. */
  inColumn: number;
  /** The element is positioned imperatively by the pointer handler. */
  ref: Ref<HTMLDivElement>;
}

/** Details of one exit: reason, vCPU, exit number, start, duration, where it was handled. */
export function ExitTooltip({ data, exit, inColumn, ref }: ExitTooltipProps) {
  const valid = exit != null && exit >= 0 && exit < data.count;
  return (
    <div ref={ref} className="timeline-tooltip" role="tooltip" hidden={!valid}>
      {valid && <ExitDetails data={data} exit={exit} inColumn={inColumn} />}
    </div>
  );
}

function ExitDetails({
  data,
  exit,
  inColumn,
}: {
  data: TimelineData;
  exit: number;
  inColumn: number;
}) {
  const start = data.time[exit];
  const end = data.end[exit];
  const userspace = data.handled[exit] === 1;
  return (
    <>
      <strong>{data.reasons[data.reason[exit]] ?? `reason ${data.reason[exit]}`}</strong>
      <div>
        vCPU {data.vcpu[exit]} · exit #{exit}
      </div>
      <div>start {formatCycles(start)} cycles</div>
      <div>
        {end > start ? `duration ${formatCycles(end - start)} cycles` : 'still being handled'}
      </div>
      <div>handled in {userspace ? 'userspace (VMM)' : 'the kernel (KVM)'}</div>
      {inColumn > 1 && (
        <div className="timeline-tooltip-note">{inColumn} exits in this pixel column</div>
      )}
    </>
  );
}
