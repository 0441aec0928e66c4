import type { TimelineData } from '../../core';
import type { LaneSlot } from './geometry';
import type { PaintInput } from './paintMarks';

/**
 * Where the current exit is outlined: on its vCPU's lane and, when it reached
 * userspace, on the VMM lane; nothing when it is invalid or off-screen.
 * `x` maps cycles to CSS px; `width` is the plot width. Pure.
 */
export function highlightOf(
  data: TimelineData,
  exit: number | null,
  slots: readonly LaneSlot[],
  x: (cycles: number) => number,
  width: number,
): PaintInput['highlight'] {
  if (exit == null || !Number.isInteger(exit) || exit < 0 || exit >= data.count) return [];
  const x0 = x(data.time[exit]);
  const x1 = x(Math.max(data.time[exit], data.end[exit]));
  if (x1 < -2 || x0 > width + 2) return [];
  const out: { slot: number; x0: number; x1: number }[] = [];
  slots.forEach((slot, i) => {
    const shows =
      (slot.kind === 'vcpu' && slot.vcpu === data.vcpu[exit]) ||
      (slot.kind === 'vmm' && data.handled[exit] === 1);
    if (shows) out.push({ slot: i, x0, x1 });
  });
  return out;
}
