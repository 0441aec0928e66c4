/**
 * Text the debugger shows, derived from view data. Pure, no DOM. Values the
 * worker already formats (registers, fields) are shown as given; these
 * helpers cover addresses, bytes and labels the view leaves as numbers.
 */
import type { ExitView, VcpuView } from '../../core';

/** A guest address as 0x-prefixed lowercase hex, at least 8 digits ("0x00010000"). */
export function formatAddress(address: number): string {
  return `0x${address.toString(16).padStart(8, '0')}`;
}

/** One byte as two upper-case hex digits ("0F"), as the disassembly prints bytes. */
export function formatByte(byte: number): string {
  return byte.toString(16).toUpperCase().padStart(2, '0');
}

/** A small number as 0x-prefixed lowercase hex ("0x41"), for "was …" titles of bytes. */
export function formatHex(value: number): string {
  return `0x${value.toString(16)}`;
}

/**
 * The option text of the vCPU selector: "vCPU 0 — guest", "vCPU 1 — blocked";
 * a vCPU halted by HLT says so ("vCPU 1 — blocked (HLT)").
 */
export function vcpuLabel(v: Pick<VcpuView, 'index' | 'stage' | 'halted'>): string {
  return `vCPU ${v.index} — ${v.stage}${v.halted ? ' (HLT)' : ''}`;
}

/** The exit reason with the vendor's code, as the manuals list it: "VMCALL (18)". */
export function exitReasonLabel(exit: Pick<ExitView, 'reason' | 'code'>): string {
  return `${exit.reason} (${exit.code})`;
}

/** Where the exit was handled, in words. */
export function handledInLabel(handledIn: ExitView['handledIn']): string {
  return handledIn === 'kernel' ? 'in the kernel (KVM)' : 'in userspace (the VMM)';
}

/** The lane of a phase event: "vCPU n", or "VMM process" for lane -1. */
export function laneLabel(vcpu: number): string {
  return vcpu < 0 ? 'VMM process' : `vCPU ${vcpu}`;
}

/** The heading of the exit's field table: "VMCS fields" (Intel) or "VMCB fields" (AMD). */
export function fieldsHeading(structure: ExitView['structure']): string {
  return `${structure} fields`;
}
