/**
 * The VMCS (Intel) and VMCB (AMD) fields of the last VM exit, as the
 * debugger shows them, under the names the manuals and the Linux source
 * use: VMCS field encodings of arch/x86/include/asm/vmx.h (SDM Vol. 3
 * Appendix B), VMCB members of arch/x86/include/asm/svm.h (APM Vol. 2
 * Appendix B).
 *
 * The guest-state values are those the CPU saved at the exit (`GuestSnapshot`),
 * not the registers after KVM's handler changed them.
 */
import { getRflags, type FlagsState } from '../cpu/flags';
import type { HardwareExit } from './vmexit';

/** Guest state saved on VM exit (VMCS guest-state area / VMCB save area). */
export interface GuestSnapshot {
  rip: number;
  /** RSP as int32 halves (saved without bigint on the exit path). */
  rspLo: number;
  rspHi: number;
  /** RFLAGS, as the flag state it is computed from (getRflags: computed when shown, not at every exit). */
  flags: FlagsState;
  cr0: number;
  cr3: number;
  cr4: number;
  efer: number;
  csSelector: number;
  ssSelector: number;
  cpl: number;
}

export interface ControlField {
  name: string;
  value: bigint;
  /** What the field means, in a few words. */
  note: string;
}

const u = (v: number | bigint): bigint => BigInt.asUintN(64, BigInt(v));

/** The VMCS fields of an Intel exit. */
export function vmcsFields(hw: HardwareExit, g: GuestSnapshot): ControlField[] {
  return [
    {
      name: 'VM_EXIT_REASON',
      value: u(hw.code),
      note: `basic exit reason ${hw.code} (${hw.name})`,
    },
    {
      name: 'EXIT_QUALIFICATION',
      value: u(hw.qualification),
      note: 'details of the exit (I/O port and size, EPT access bits…)',
    },
    {
      name: 'VM_EXIT_INSTRUCTION_LEN',
      value: u(hw.length),
      note: 'length of the exiting instruction',
    },
    {
      name: 'GUEST_PHYSICAL_ADDRESS',
      value: u(hw.gpa),
      note: 'EPT violation / misconfiguration only',
    },
    {
      name: 'VM_EXIT_INTR_INFO',
      value: u(hw.intrInfo),
      note: 'vector, type and validity of an exception exit',
    },
    { name: 'VM_EXIT_INTR_ERROR_CODE', value: u(hw.errorCode), note: 'the exception’s error code' },
    { name: 'GUEST_RIP', value: u(g.rip), note: 'RIP of the exiting instruction' },
    { name: 'GUEST_RSP', value: (BigInt(g.rspHi >>> 0) << 32n) | BigInt(g.rspLo >>> 0), note: '' },
    { name: 'GUEST_RFLAGS', value: u(getRflags(g.flags)), note: '' },
    { name: 'GUEST_CR0', value: u(g.cr0), note: '' },
    { name: 'GUEST_CR3', value: u(g.cr3), note: '' },
    { name: 'GUEST_CR4', value: u(g.cr4), note: '' },
    { name: 'GUEST_IA32_EFER', value: u(g.efer), note: '' },
    { name: 'GUEST_CS_SELECTOR', value: u(g.csSelector), note: `CPL ${g.cpl}` },
    { name: 'GUEST_SS_SELECTOR', value: u(g.ssSelector), note: '' },
  ];
}

/** The VMCB fields of an AMD exit (control area, then save area). */
export function vmcbFields(hw: HardwareExit, g: GuestSnapshot): ControlField[] {
  return [
    { name: 'control.exit_code', value: u(hw.code), note: `SVM_EXIT_${hw.name}` },
    {
      name: 'control.exit_info_1',
      value: u(hw.qualification),
      note: 'EXITINFO1: IOIO fields, NPF error code, MSR write flag…',
    },
    {
      name: 'control.exit_info_2',
      value: u(hw.info2),
      note: 'EXITINFO2: next RIP for IOIO, faulting GPA for NPF',
    },
    {
      name: 'control.exit_int_info',
      value: u(hw.intrInfo),
      note: 'an event being delivered when the exit happened',
    },
    {
      name: 'control.next_rip',
      value: u(hw.nextRip),
      note: 'NRIPS: RIP after the exiting instruction',
    },
    { name: 'save.rip', value: u(g.rip), note: '' },
    { name: 'save.rsp', value: (BigInt(g.rspHi >>> 0) << 32n) | BigInt(g.rspLo >>> 0), note: '' },
    { name: 'save.rflags', value: u(getRflags(g.flags)), note: '' },
    { name: 'save.cr0', value: u(g.cr0), note: '' },
    { name: 'save.cr3', value: u(g.cr3), note: '' },
    { name: 'save.cr4', value: u(g.cr4), note: '' },
    { name: 'save.efer', value: u(g.efer), note: '' },
    { name: 'save.cs.selector', value: u(g.csSelector), note: '' },
    { name: 'save.ss.selector', value: u(g.ssSelector), note: '' },
    { name: 'save.cpl', value: u(g.cpl), note: '' },
  ];
}
