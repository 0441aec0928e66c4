/**
 * Why the vCPU stopped before retiring an instruction: the guest did
 * something that, under VMX/SVM, hands control to the hypervisor. The vCPU
 * only *describes* the instruction; the vmx/ and kvm/ layers (issue 4) turn
 * the request into a VM exit with the vendor's reason and qualification,
 * and complete it (advancing RIP by `length` when they emulate it).
 *
 * RIP still points at the instruction when the request is raised.
 */
export type ExitRequest =
  /** VMCALL (Intel) or VMMCALL (AMD): a hypercall. */
  | { kind: 'hypercall'; rip: number; length: number; insn: 'vmcall' | 'vmmcall' }
  | { kind: 'hlt'; rip: number; length: number }
  | { kind: 'cpuid'; rip: number; length: number }
  | { kind: 'rdmsr'; rip: number; length: number }
  | { kind: 'wrmsr'; rip: number; length: number }
  /**
   * IN/OUT/INS/OUTS. `size` in bytes; `string` for INS/OUTS, with `rep`
   * when a REP prefix repeats it (count in RCX).
   */
  | {
      kind: 'io';
      rip: number;
      length: number;
      port: number;
      size: 1 | 2 | 4;
      direction: 'in' | 'out';
      string: boolean;
      rep: boolean;
      /** The port number came from an immediate (E4–E7) rather than DX. */
      immediatePort: boolean;
    }
  /**
   * A guest-physical access with no memory slot (at or above the end of
   * RAM): EPT violation (Intel) / nested page fault (AMD). For a write,
   * `value` holds the bytes' little-endian value as a bigint.
   */
  | {
      kind: 'mmio';
      rip: number;
      length: number;
      gpa: number;
      size: number;
      access: 'read' | 'write' | 'fetch';
      value?: bigint;
    }
  /** An exception the hypervisor asked to intercept (the exception bitmap). */
  | { kind: 'exception'; rip: number; length: number; vector: number; errorCode?: number }
  /** A fault while delivering a double fault: the processor shuts down. */
  | { kind: 'triple-fault'; rip: number; length: number }
  /**
   * A host interrupt arrived while the guest ran (for example the IPI KVM
   * sends to make a vCPU notice a new interrupt): not raised by the vCPU
   * itself, but by the hypervisor model between instructions.
   */
  | { kind: 'external-interrupt'; rip: number; length: 0 }
  /** MOV to or from a control register that the hypervisor intercepts. */
  | { kind: 'cr-access'; rip: number; length: number; cr: number; write: boolean; gpr: number };
