/**
 * What changed between two machine views, for the debugger's highlights.
 *
 * Contract: every function takes the view now and the view before the last
 * command (or null/undefined when there is none: then nothing changed) and
 * returns a map from a key (register name, field name, guest address) to the
 * value *before*, for entries present in both views whose value differs.
 * Entries that appear or disappear (a kvm_run union member switching) are not
 * "changed": there is no old value to show. Pure, no DOM; views are compared
 * by content, never by identity (each view is a fresh structured clone).
 */
import type {
  FlagBit,
  MachineView,
  MemoryView,
  NamedValue,
  StackEntry,
  VcpuView,
} from '../../core';

/** name → value before. */
export type ValueChanges = ReadonlyMap<string, string>;

/** The empty change set, shared so memoised children see a stable value. */
export const NO_CHANGES: ValueChanges = new Map<string, string>();

/** Changed entries of two name/value lists, matched by `name` (order-independent). */
export function diffNamedValues(
  now: readonly NamedValue[],
  before: readonly NamedValue[] | null | undefined,
): ValueChanges {
  if (!before || before.length === 0) return NO_CHANGES;
  const old = new Map(before.map((e) => [e.name, e.value]));
  const changes = new Map<string, string>();
  for (const { name, value } of now) {
    const was = old.get(name);
    if (was !== undefined && was !== value) changes.set(name, was);
  }
  return changes.size === 0 ? NO_CHANGES : changes;
}

/** The vCPU with this `index` in `view`, or undefined (no view, or no such vCPU). */
export function findVcpu(
  view: MachineView | null | undefined,
  index: number,
): VcpuView | undefined {
  return view?.vcpus.find((v) => v.index === index);
}

/**
 * Registers of the selected vCPU that changed: compared with the *same vCPU
 * index* in `previous`, whichever vCPU `previous` had selected.
 */
export function diffRegisters(view: MachineView, previous: MachineView | null): ValueChanges {
  const now = findVcpu(view, view.selected);
  if (!now) return NO_CHANGES;
  return diffNamedValues(now.regs, findVcpu(previous, view.selected)?.regs);
}

/** name → whether the bit was set before, for RFLAGS bits whose state changed. */
export function diffFlags(
  now: readonly FlagBit[],
  before: readonly FlagBit[] | null | undefined,
): ReadonlyMap<string, boolean> {
  const changes = new Map<string, boolean>();
  if (!before) return changes;
  const old = new Map(before.map((f) => [f.name, f.set]));
  for (const f of now) {
    const was = old.get(f.name);
    if (was !== undefined && was !== f.set) changes.set(f.name, was);
  }
  return changes;
}

/**
 * Fields of a per-vCPU structure (kvm_run, the VMCS/VMCB fields of the last
 * exit) that changed. Compared only when both views show the same vCPU:
 * another vCPU's kvm_run is not "before".
 */
export function diffSelected(
  view: MachineView,
  previous: MachineView | null,
  pick: (v: MachineView) => readonly NamedValue[] | null | undefined,
): ValueChanges {
  if (!previous || previous.selected !== view.selected) return NO_CHANGES;
  return diffNamedValues(pick(view) ?? [], pick(previous));
}

/**
 * Guest bytes that changed: address → byte before. The two windows are matched
 * by guest address, so a window that moved still lights the bytes it shares
 * with the previous one; a window with no overlap (or an error window, which
 * has no bytes) changes nothing.
 */
export function diffMemory(
  now: MemoryView,
  before: MemoryView | null | undefined,
): ReadonlyMap<number, number> {
  const changes = new Map<number, number>();
  if (!before) return changes;
  const from = Math.max(now.address, before.address);
  const to = Math.min(now.address + now.bytes.length, before.address + before.bytes.length);
  for (let a = from; a < to; a++) {
    const was = before.bytes[a - before.address];
    if (now.bytes[a - now.address] !== was) changes.set(a, was);
  }
  return changes;
}

/**
 * Stack slots whose value changed: address → value before. Matched by guest
 * address (a slot is memory, whichever vCPU's RSP points near it).
 */
export function diffStack(
  now: readonly StackEntry[],
  before: readonly StackEntry[] | null | undefined,
): ReadonlyMap<number, string> {
  const changes = new Map<number, string>();
  if (!before) return changes;
  const old = new Map(before.map((e) => [e.address, e.value]));
  for (const e of now) {
    const was = old.get(e.address);
    if (was !== undefined && was !== e.value) changes.set(e.address, was);
  }
  return changes;
}
