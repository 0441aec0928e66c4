/**
 * Vertical geometry of the timeline plot, shared by the React labels and the
 * canvas painter so both place lanes identically: one lane per vCPU, then the
 * VMM lane, then the time axis.
 */

/** Height of the time axis under the lanes (ticks, tick labels and the axis title). */
export const AXIS_HEIGHT = 34;
/** Lane height bounds (CSS px); lanes share the space above the axis within these. */
export const MIN_LANE_HEIGHT = 14;
export const MAX_LANE_HEIGHT = 36;
/** Empty space under each lane. */
export const LANE_GAP = 3;

/** One lane row. */
export interface LaneSlot {
  /** Top edge (CSS px from the top of the plot). */
  top: number;
  /** Height of the painted band (gap excluded). */
  height: number;
  kind: 'vcpu' | 'vmm';
  /** vCPU index, or -1 for the VMM lane. */
  vcpu: number;
  /** "vCPU 0", "vCPU 1", …, "VMM". */
  label: string;
}

/**
 * Lane rows for a plot `plotHeight` CSS px tall holding `vcpus` vCPU lanes
 * (at least one) and, when `vmmLane`, the VMM lane last. Lanes share the
 * space above the axis evenly, clamped to [MIN_LANE_HEIGHT, MAX_LANE_HEIGHT]
 * (so many vCPUs in a short pane overflow rather than vanish).
 */
export function laneSlots(plotHeight: number, vcpus: number, vmmLane: boolean): LaneSlot[] {
  const count = Math.max(1, vcpus);
  const rows = count + (vmmLane ? 1 : 0);
  const share = Math.floor((plotHeight - AXIS_HEIGHT) / rows);
  const pitch = Math.min(MAX_LANE_HEIGHT, Math.max(MIN_LANE_HEIGHT, share));
  const slots: LaneSlot[] = [];
  for (let v = 0; v < count; v++) {
    slots.push({
      top: v * pitch,
      height: pitch - LANE_GAP,
      kind: 'vcpu',
      vcpu: v,
      label: `vCPU ${v}`,
    });
  }
  if (vmmLane) {
    slots.push({
      top: count * pitch,
      height: pitch - LANE_GAP,
      kind: 'vmm',
      vcpu: -1,
      label: 'VMM',
    });
  }
  return slots;
}

/** Bottom edge of the last lane (including its gap): where the axis starts. */
export function lanesBottom(slots: readonly LaneSlot[]): number {
  const last = slots[slots.length - 1];
  return last ? last.top + last.height + LANE_GAP : 0;
}

/** Total height the plot content needs: lanes plus axis. */
export function contentHeight(slots: readonly LaneSlot[]): number {
  return lanesBottom(slots) + AXIS_HEIGHT;
}

/** Index of the lane whose row (gap included) contains `y`, or -1. */
export function laneAt(slots: readonly LaneSlot[], y: number): number {
  for (let i = 0; i < slots.length; i++) {
    const s = slots[i];
    if (y >= s.top && y < s.top + s.height + LANE_GAP) return i;
  }
  return -1;
}

/** The painted band of a lane's marks: full height for vCPU lanes, a thinner centred band for the VMM lane. */
export function markBand(slot: LaneSlot): { top: number; height: number } {
  if (slot.kind === 'vcpu') return { top: slot.top, height: slot.height };
  const height = Math.max(4, Math.round(slot.height * 0.5));
  return { top: slot.top + Math.round((slot.height - height) / 2), height };
}
