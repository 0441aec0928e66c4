/**
 * The hardware half of a VM exit: turn the vCPU's exit request into what
 * the processor records — the VMCS exit fields on Intel (SDM Vol. 3
 * §28.2 "Recording VM-exit information"), the VMCB control-area fields on
 * AMD (APM Vol. 2 §15.6 and Appendix C) — and the exit's identity in the
 * vendor's numbering.
 *
 * MMIO: the first access to a guest-physical page with no memslot is an
 * EPT violation (Intel) / NPF (AMD); KVM then installs an "MMIO SPTE", so
 * later accesses to that page exit as EPT misconfiguration (Intel) or as an
 * NPF with the reserved-bit error code (AMD). `mmioPagesSeen` carries that
 * per-VM memory.
 */
import type { ExitRequest } from '../cpu/exits';
import { SVM_EXIT, VMX_EXIT, exitHandlers, type VendorName } from './exitReasons';

/** The exit as hardware reports it. All values are plain numbers (exact below 2^53). */
export interface HardwareExit {
  vendor: VendorName;
  /** VMX basic exit reason, or SVM exit code. */
  code: number;
  name: string;
  /** Guest RIP of the exiting instruction. */
  rip: number;
  /** VM-exit instruction length (Intel) / next_rip - rip (AMD NRIPS); 0 when not defined. */
  length: number;
  /** Intel EXIT_QUALIFICATION, or AMD EXITINFO1. */
  qualification: number;
  /** AMD EXITINFO2 (0 on Intel). */
  info2: number;
  /** Guest-physical address (EPT violation/misconfig GUEST_PHYSICAL_ADDRESS; NPF EXITINFO2). */
  gpa: number;
  /** Intel VM_EXIT_INTR_INFO / AMD EXITINTINFO-style: vector | type << 8 | error-valid << 11 | valid << 31. */
  intrInfo: number;
  /** Exception error code (VM_EXIT_INTR_ERROR_CODE; AMD EXITINFO1 for #GP/#PF…). */
  errorCode: number;
  /** AMD next_rip (NRIPS) for instruction intercepts; 0 otherwise. */
  nextRip: number;
}

/** Exception vectors that push an error code (SDM Vol. 3 Table 6-1). */
const HAS_ERROR_CODE = new Set([8, 10, 11, 12, 13, 14, 17, 21]);

/** Intel I/O exit qualification (SDM Vol. 3 Table 28-5). */
function ioQualification(r: Extract<ExitRequest, { kind: 'io' }>): number {
  return (
    (r.size - 1) |
    (r.direction === 'in' ? 1 << 3 : 0) |
    (r.string ? 1 << 4 : 0) |
    (r.rep ? 1 << 5 : 0) |
    (r.immediatePort ? 1 << 6 : 0) |
    (r.port * 65536)
  );
}

/** AMD IOIO EXITINFO1 (APM Vol. 2 §15.10.2): TYPE, STR, REP, SZ, A64, port. */
function ioioInfo1(r: Extract<ExitRequest, { kind: 'io' }>): number {
  const sz = r.size === 1 ? 1 << 4 : r.size === 2 ? 1 << 5 : 1 << 6;
  const a64 = 1 << 9;
  return (
    (r.direction === 'in' ? 1 : 0) |
    (r.string ? 1 << 2 : 0) |
    (r.rep ? 1 << 3 : 0) |
    sz |
    a64 |
    (r.port * 65536)
  );
}

/** EPT-violation qualification (SDM Vol. 3 Table 28-7): access bits, GPA fields; entry not present. */
function eptQualification(access: 'read' | 'write' | 'fetch'): number {
  const acc = access === 'read' ? 1 : access === 'write' ? 2 : 4;
  // Bit 7: guest linear address valid; bit 8: the access was to the final translation.
  return acc | (1 << 7) | (1 << 8);
}

/** AMD NPF error code (EXITINFO1): P, RW, US, RSVD, ID; bit 32 "final translation". */
function npfInfo1(access: 'read' | 'write' | 'fetch', mmioSpte: boolean): number {
  const base = (access === 'write' ? 2 : 0) | (access === 'fetch' ? 16 : 0) | 4;
  // An MMIO SPTE is present with reserved bits set: P | RSVD.
  return (mmioSpte ? 1 | 8 : 0) + base + 2 ** 32;
}

/** Exit names by code, per vendor, looked up in the handler tables once per code. */
const NAMES: Record<VendorName, string[]> = { intel: [], amd: [] };

/** The vendor's name of exit `code` (`UNKNOWN_<code>` when its table has no entry). */
function exitName(vendor: VendorName, code: number): string {
  const names = NAMES[vendor];
  let name = names[code];
  if (name === undefined) {
    const info = exitHandlers(vendor)[code];
    name = info ? info.name : `UNKNOWN_${code}`;
    names[code] = name;
  }
  return name;
}

function makeExit(base: HardwareExit, code: number, extra?: Partial<HardwareExit>): HardwareExit {
  // `base` is this exit's own object: fill it in place rather than copying it.
  base.code = code;
  base.name = exitName(base.vendor, code);
  return extra ? Object.assign(base, extra) : base;
}

/**
 * The hardware exit for `req` on `vendor`. `mmioPagesSeen` (a set of
 * guest-physical page numbers) is updated for MMIO accesses.
 *
 * `into`, when given, is overwritten with the result and returned (every
 * field is set): the caller's object for its last exit, reused because a
 * vCPU has one exit at a time — as the VMCS has one set of exit fields.
 */
export function hardwareExit(
  vendor: VendorName,
  req: ExitRequest,
  mmioPagesSeen: Set<number>,
  into?: HardwareExit,
): HardwareExit {
  const intel = vendor === 'intel';
  const base: HardwareExit = into ?? {
    vendor,
    code: 0,
    name: '',
    rip: 0,
    length: 0,
    qualification: 0,
    info2: 0,
    gpa: 0,
    intrInfo: 0,
    errorCode: 0,
    nextRip: 0,
  };
  base.vendor = vendor;
  base.rip = req.rip;
  base.length = req.length;
  base.qualification = 0;
  base.info2 = 0;
  base.gpa = 0;
  base.intrInfo = 0;
  base.errorCode = 0;
  base.nextRip = intel ? 0 : req.rip + req.length;
  switch (req.kind) {
    case 'hypercall':
      return makeExit(base, intel ? VMX_EXIT.VMCALL : SVM_EXIT.VMMCALL);
    case 'hlt':
      return makeExit(base, intel ? VMX_EXIT.HLT : SVM_EXIT.HLT);
    case 'cpuid':
      return makeExit(base, intel ? VMX_EXIT.CPUID : SVM_EXIT.CPUID);
    case 'rdmsr':
      return makeExit(base, intel ? VMX_EXIT.MSR_READ : SVM_EXIT.MSR, { qualification: 0 });
    case 'wrmsr':
      return makeExit(base, intel ? VMX_EXIT.MSR_WRITE : SVM_EXIT.MSR, {
        qualification: intel ? 0 : 1,
      });
    case 'io':
      return intel
        ? makeExit(base, VMX_EXIT.IO_INSTRUCTION, { qualification: ioQualification(req) })
        : makeExit(base, SVM_EXIT.IOIO, {
            qualification: ioioInfo1(req),
            info2: req.rip + req.length,
          });
    case 'mmio': {
      const page = Math.floor(req.gpa / 4096);
      const seen = mmioPagesSeen.has(page);
      mmioPagesSeen.add(page);
      if (intel) {
        return seen
          ? makeExit(base, VMX_EXIT.EPT_MISCONFIG, { gpa: req.gpa, length: req.length })
          : makeExit(base, VMX_EXIT.EPT_VIOLATION, {
              gpa: req.gpa,
              qualification: eptQualification(req.access),
            });
      }
      return makeExit(base, SVM_EXIT.NPF, {
        gpa: req.gpa,
        qualification: npfInfo1(req.access, seen),
        info2: req.gpa,
        nextRip: 0,
      });
    }
    case 'exception': {
      const hasErr = HAS_ERROR_CODE.has(req.vector);
      // Type 3 = hardware exception; INT3 would be 6 (software exception).
      const type = req.vector === 3 ? 6 : 3;
      const intrInfo = (req.vector | (type << 8) | (hasErr ? 1 << 11 : 0) | (2 ** 31)) >>> 0;
      const errorCode = req.errorCode ?? 0;
      return intel
        ? makeExit(base, VMX_EXIT.EXCEPTION_NMI, { intrInfo, errorCode })
        : makeExit(base, SVM_EXIT.EXCP_BASE + req.vector, {
            qualification: hasErr ? errorCode : 0,
            errorCode,
            nextRip: 0,
          });
    }
    case 'triple-fault':
      return intel
        ? makeExit(base, VMX_EXIT.TRIPLE_FAULT, { length: 0 })
        : makeExit(base, SVM_EXIT.SHUTDOWN, { length: 0, nextRip: 0 });
    case 'external-interrupt':
      return makeExit(base, intel ? VMX_EXIT.EXTERNAL_INTERRUPT : SVM_EXIT.INTR, {
        length: 0,
        nextRip: 0,
      });
    case 'cr-access':
      return intel
        ? makeExit(base, VMX_EXIT.CR_ACCESS, {
            qualification: req.cr | ((req.write ? 0 : 1) << 4) | (req.gpr << 8),
          })
        : makeExit(base, (req.write ? SVM_EXIT.WRITE_CR0 : SVM_EXIT.READ_CR0) + req.cr);
  }
}
