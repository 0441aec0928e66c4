/**
 * Names and args of the Chrome Trace Event export's slices (chromeTrace.ts):
 * an exit's reason, code, RIP, qualification, where it was handled, the
 * kvm_run exit and the hypercall; a phase's host function, Linux source
 * path and call chain. What never changes within a run (a host function's
 * chain, a hypercall's name) is computed once: an export of a million exits
 * spends its time allocating, so repeated strings are shared.
 */
import type { ChromeTraceInput } from './chromeTrace';
import { EXIT_DATA, HANDLED_USERSPACE, PHASES, type Trace } from './trace';

const hex = (v: bigint | number): string => `0x${BigInt.asUintN(64, BigInt(v)).toString(16)}`;

/** A hypercall's nr, name, a0–a3 and result, as slice args. */
export interface HypercallArgs {
  nr: number;
  name: string | null;
  a0: string;
  a1: string;
  a2: string;
  a3: string;
  ret: string;
  /** The result as a signed decimal (-1000 rather than 0xffff…fc18). */
  retSigned: string;
}

/** Name and args builders over one trace. */
export function sliceNames(t: Trace, input: ChromeTraceInput) {
  const hcNames = new Map<bigint, string | null>();
  const hcName = (nr: bigint): string | null => {
    let n = hcNames.get(nr);
    if (n === undefined) {
      n = input.hypercallName(nr) ?? null;
      hcNames.set(nr, n);
    }
    return n;
  };
  const kvmNames = new Map<number, string>();
  const kvmExit = (x: number): string | null => {
    const code = t.exKvm[x];
    if (code < 0) return null;
    let n = kvmNames.get(code);
    if (n === undefined) {
      n = input.kvmExitName(code);
      kvmNames.set(code, n);
    }
    return n;
  };
  const chains = input.hostFunctions.map((f) => f.chain.join(' → '));

  /** A hypercall exit's args, or undefined for other exits. */
  const hypercall = (x: number): HypercallArgs | undefined => {
    if (t.exKind[x] !== EXIT_DATA.hypercall) return undefined;
    const nr = t.word(x, 0);
    const ret = t.word(x, 5);
    return {
      nr: Number(nr),
      name: hcName(nr),
      a0: hex(t.word(x, 1)),
      a1: hex(t.word(x, 2)),
      a2: hex(t.word(x, 3)),
      a3: hex(t.word(x, 4)),
      ret: hex(ret),
      retSigned: BigInt.asIntN(64, ret).toString(),
    };
  };

  /** The args of exit `x`'s outer slice. */
  const exit = (x: number): Record<string, unknown> => {
    const args: Record<string, unknown> = {
      exit: x,
      vcpu: t.exVcpu[x],
      reason: t.exitName(x),
      code: t.exitCode(x),
      rip: hex(t.exitRip(x)),
      insnLength: t.exitLength(x),
      qualification: hex(t.exitQualification(x)),
      handledIn: t.exHandled[x] === HANDLED_USERSPACE ? 'userspace' : 'kernel',
      kvmExit: kvmExit(x),
    };
    if (t.exitGpa(x)) args.gpa = hex(t.exitGpa(x));
    const hc = hypercall(x);
    if (hc) args.hypercall = hc;
    return args;
  };

  /** Phase event `e`'s slice name: `phase: function` (the ioctl's name for ioctls). */
  const phase = (e: number): string => {
    const p = PHASES[t.phase[e]];
    const x = t.exit[e];
    if (p === 'guest' && x >= 0) return `guest: exiting instruction at ${hex(t.exitRip(x))}`;
    if (p === 'ioctl') {
      const detail = t.detailText(e) ?? '';
      return `ioctl: ${/KVM_[A-Z0-9_]+/.exec(detail)?.[0] ?? 'ioctl'}`;
    }
    return `${p}: ${input.hostFunctions[t.fn[e]]?.chain[0] ?? p}`;
  };

  /** Phase event `e`'s args: source path, call chain, detail; its exit's reason, code and kvm_run exit. */
  const phaseArgs = (e: number): Record<string, unknown> => {
    const fn = input.hostFunctions[t.fn[e]];
    const args: Record<string, unknown> = {
      source: fn?.source ?? '',
      chain: chains[t.fn[e]] ?? '',
    };
    const detail = t.detailText(e);
    if (detail !== null) args.detail = detail;
    const x = t.exit[e];
    if (x >= 0) {
      args.exit = x;
      args.reason = t.exitName(x);
      args.code = t.exitCode(x);
      const p = PHASES[t.phase[e]];
      if (p === 'userspace' || (p === 'handle' && t.exKvm[x] >= 0)) args.kvmExit = kvmExit(x);
    }
    return args;
  };

  return { exit, phase, phaseArgs, hypercall };
}
