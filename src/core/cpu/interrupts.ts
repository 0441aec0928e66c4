/**
 * Exception and interrupt delivery in 64-bit mode through the guest's IDT
 * (Intel SDM Vol. 3 §6.14), with the double-fault rules of §6.15 (Table
 * 6-5): a contributory fault while delivering a contributory fault, or a
 * page fault or contributory fault while delivering a page fault, becomes
 * #DF; a fault while delivering #DF is a triple fault, which shuts the
 * processor down (reported as a `triple-fault` exit request).
 *
 * Before delivering an exception, the exception bitmap is consulted: a set
 * bit makes the vCPU exit to the hypervisor instead (VMX exception bitmap,
 * SVM exception intercepts). External interrupts and INT n are not
 * exceptions and never consult it.
 */
import { readBig, write64 } from './access';
import {
  dplOf,
  isCode,
  isConforming,
  isLongCode,
  present,
  readDescriptor,
  toSegment,
  nullSegment,
} from './descriptors';
import { getRflags, setRflags } from './flags';
import { EXIT_SIGNAL, GuestFault } from './signals';
import { FLAG, SEG, VECTOR } from './state';
import type { Vcpu } from './vcpu';

/**
 * What is being delivered: a `fault` (RIP of the faulting instruction is
 * pushed), a `trap` (#DB single-step: the next RIP), `int3` (the #BP
 * exception from INT3), `int` (INT n, a software interrupt), or an
 * `external` interrupt.
 */
export type EventKind = 'fault' | 'trap' | 'int3' | 'int' | 'external';

type FaultClass = 'benign' | 'contributory' | 'pagefault' | 'df';

function classOf(vector: number): FaultClass {
  switch (vector) {
    case VECTOR.DE:
    case VECTOR.TS:
    case VECTOR.NP:
    case VECTOR.SS:
    case VECTOR.GP:
      return 'contributory';
    case VECTOR.PF:
      return 'pagefault';
    case VECTOR.DF:
      return 'df';
    default:
      return 'benign';
  }
}

const TWO32 = 2 ** 32;
const lo32 = (n: number): number => (n % TWO32) | 0;
const hi32 = (n: number): number => Math.floor(n / TWO32) | 0;

/** Read RSPn or ISTn from the 64-bit TSS (SDM Vol. 3 §8.7). */
function tssStack(v: Vcpu, offset: number): number {
  const tr = v.state.tr;
  if (tr.selector === 0 || offset + 7 > tr.limit)
    throw new GuestFault(VECTOR.TS, tr.selector & 0xfffc);
  return Number(BigInt.asIntN(64, readBig(v, tr.base + offset, 8)));
}

/** Push the frame and enter the handler; throws GuestFault if any step faults. */
function enterHandler(
  v: Vcpu,
  vector: number,
  errorCode: number | undefined,
  kind: EventKind,
  returnRip: number,
): void {
  const s = v.state;
  const ext = kind === 'int' || kind === 'int3' ? 0 : 1;
  const idtErr = (vector << 3) | 2 | ext;
  if (vector * 16 + 15 > s.idtr.limit) throw new GuestFault(VECTOR.GP, idtErr);
  const gate = readBig(v, s.idtr.base + vector * 16, 16);
  const g = (bit: number, n: number): number =>
    Number((gate >> BigInt(bit)) & ((1n << BigInt(n)) - 1n));
  const type = g(40, 4);
  const gateDpl = g(45, 2);
  if (type !== 0xe && type !== 0xf) throw new GuestFault(VECTOR.GP, idtErr);
  if ((kind === 'int' || kind === 'int3') && gateDpl < s.cpl)
    throw new GuestFault(VECTOR.GP, idtErr & ~1);
  if (!g(47, 1)) throw new GuestFault(VECTOR.NP, idtErr);
  const selector = g(16, 16);
  const offset = Number(
    BigInt.asIntN(64, BigInt(g(0, 16)) | (BigInt(g(48, 16)) << 16n) | (BigInt(g(64, 32)) << 32n)),
  );
  const ist = g(32, 3);

  if ((selector & 0xfffc) === 0) throw new GuestFault(VECTOR.GP, ext);
  const cs = readDescriptor(v, selector, ext);
  if (!isCode(cs) || !isLongCode(cs) || dplOf(cs) > s.cpl)
    throw new GuestFault(VECTOR.GP, (selector & 0xfffc) | ext);
  if (!present(cs)) throw new GuestFault(VECTOR.NP, (selector & 0xfffc) | ext);
  const newCpl = isConforming(cs) ? s.cpl : dplOf(cs);

  const oldRsp = s.rh[4] * TWO32 + (s.rl[4] >>> 0);
  let rsp = oldRsp;
  if (ist !== 0) rsp = tssStack(v, 0x24 + 8 * (ist - 1));
  else if (newCpl < s.cpl) rsp = tssStack(v, 4 + 8 * newCpl);
  rsp -= ((rsp % 16) + 16) % 16;
  if (offset >= 2 ** 47 || offset < -(2 ** 47)) throw new GuestFault(VECTOR.GP, 0);

  const frame = [s.seg[SEG.SS].selector, oldRsp, getRflags(s), s.seg[SEG.CS].selector, returnRip];
  if (errorCode !== undefined) frame.push(errorCode);
  for (const value of frame) {
    rsp -= 8;
    write64(v, rsp, lo32(value), value < 0 ? -1 : hi32(value), true);
  }

  // Commit: nothing above changed a register.
  if (newCpl < s.cpl) s.seg[SEG.SS] = nullSegment(newCpl);
  s.seg[SEG.CS] = toSegment(cs, (selector & 0xfffc) | newCpl);
  s.cpl = newCpl;
  s.rl[4] = lo32(rsp);
  s.rh[4] = hi32(rsp);
  let flags = getRflags(s) & ~(FLAG.TF | FLAG.NT | FLAG.RF);
  if (type === 0xe) flags &= ~FLAG.IF;
  setRflags(s, flags);
  s.rip = offset;
  s.interruptShadow = false;
}

/**
 * Deliver `vector`; on a fault during delivery apply the double-fault
 * rules. Returns 'event' when a handler was entered, 'exit' when the
 * hypervisor must see it (exception bitmap, or a triple fault: then
 * `v.exit.kind` is 'triple-fault').
 */
export function deliverEvent(
  v: Vcpu,
  vector: number,
  errorCode: number | undefined,
  kind: EventKind,
  returnRip: number,
): 'event' | 'exit' {
  let cur = { vector, errorCode, kind };
  for (;;) {
    const isException = cur.kind !== 'int' && cur.kind !== 'external';
    if (isException && (v.exceptionBitmap >>> cur.vector) & 1) {
      v.raiseExit({
        kind: 'exception',
        rip: v.insnRip,
        length: v.insnLength,
        vector: cur.vector,
        errorCode: cur.errorCode,
      });
      return 'exit';
    }
    try {
      enterHandler(v, cur.vector, cur.errorCode, cur.kind, returnRip);
      v.state.delivered++;
      return 'event';
    } catch (e) {
      if (e === EXIT_SIGNAL) return 'exit';
      if (!(e instanceof GuestFault)) throw e;
      const first = classOf(cur.vector);
      const second = classOf(e.vector);
      if (first === 'df') {
        v.raiseExit({ kind: 'triple-fault', rip: v.insnRip, length: v.insnLength });
        return 'exit';
      }
      if (
        (first === 'contributory' && second === 'contributory') ||
        (first === 'pagefault' && second !== 'benign')
      ) {
        cur = { vector: VECTOR.DF, errorCode: 0, kind: 'fault' };
      } else {
        cur = { vector: e.vector, errorCode: e.errorCode, kind: 'fault' };
      }
    }
  }
}
