/**
 * The VMM's devices, emulated in userspace as kvmtool or QEMU would:
 *  - a 16550-style UART at I/O port 0x3F8 (COM1): writes to THR go to the
 *    console; LSR (0x3FD) always reports "transmitter empty";
 *  - the debug port 0xE9 (QEMU/Bochs "debugcon"): each byte to the console;
 *  - an MMIO block at MMIO_BASE: a read counter, an LED register and a
 *    scratch register.
 * Anything else on the I/O bus reads as all ones and ignores writes
 * (unassigned ports on a PC).
 */

export const COM1 = 0x3f8;
export const DEBUG_PORT = 0xe9;
/** Guest-physical base of the MMIO device (above RAM, no memslot). */
export const MMIO_BASE = 0x10000000;
export const MMIO_SIZE = 0x1000;
/** MMIO registers (offsets). */
export const MMIO_REG = { COUNTER: 0x0, LED: 0x8, SCRATCH: 0x10, TIMER: 0x18 } as const;
/** The timer raises GSI 0, which the in-kernel IOAPIC routes to vCPU 0 as this vector. */
export const TIMER_VECTOR = 0x20;

/** UART line status: THR empty | transmitter empty (bits 5 and 6). */
const LSR_THRE_TEMT = 0x60;

export interface DeviceState {
  /** Everything the guest wrote to COM1 or the debug port, as text. */
  console: string;
  /** UART registers the guest wrote (IER, LCR, MCR, SCR…), by port offset. */
  uart: Record<number, number>;
  mmio: { counter: number; led: number; scratch: bigint };
  /**
   * A periodic timer: the guest writes a period in cycles to TIMER (0 stops
   * it); each expiry the VMM writes the timer's irqfd (GSI 0). `next` is the
   * simulated time of the next expiry, or -1 when stopped.
   */
  timer: { period: number; next: number };
}

export function createDevices(): DeviceState {
  return {
    console: '',
    uart: {},
    mmio: { counter: 0, led: 0, scratch: 0n },
    timer: { period: 0, next: -1 },
  };
}

/** OUT to `port`: returns true when a device claimed it. */
export function portWrite(d: DeviceState, port: number, size: number, value: number): boolean {
  if (port === COM1 || port === DEBUG_PORT) {
    d.console += String.fromCharCode(value & 0xff);
    return true;
  }
  if (port > COM1 && port < COM1 + 8) {
    d.uart[port - COM1] = value & 0xff;
    return true;
  }
  void size;
  return false;
}

/** IN from `port`: the value (all ones when no device answers). */
export function portRead(d: DeviceState, port: number, size: number): number {
  if (port === COM1 + 5) return LSR_THRE_TEMT;
  if (port > COM1 && port < COM1 + 8) return d.uart[port - COM1] ?? 0;
  if (port === COM1) return 0;
  return size === 4 ? 0xffffffff : (1 << (8 * size)) - 1;
}

/** True if `gpa` belongs to the MMIO device. */
export function isMmio(gpa: number): boolean {
  return gpa >= MMIO_BASE && gpa < MMIO_BASE + MMIO_SIZE;
}

export function mmioRead(d: DeviceState, gpa: number, size: number): bigint {
  const off = gpa - MMIO_BASE;
  const mask = size >= 8 ? (1n << 64n) - 1n : (1n << BigInt(8 * size)) - 1n;
  if (off === MMIO_REG.COUNTER) return BigInt(++d.mmio.counter) & mask;
  if (off === MMIO_REG.LED) return BigInt(d.mmio.led) & mask;
  if (off === MMIO_REG.SCRATCH) return d.mmio.scratch & mask;
  return mask;
}

/** A write to an MMIO register at simulated time `now`. */
export function mmioWrite(d: DeviceState, gpa: number, size: number, value: bigint, now = 0): void {
  const off = gpa - MMIO_BASE;
  void size;
  if (off === MMIO_REG.LED) d.mmio.led = Number(value & 0xffn);
  else if (off === MMIO_REG.SCRATCH) d.mmio.scratch = value;
  else if (off === MMIO_REG.TIMER) {
    // At least 1000 cycles, so a guest cannot drown the machine in interrupts.
    const period = Number(BigInt.asUintN(32, value));
    d.timer =
      period === 0
        ? { period: 0, next: -1 }
        : { period: Math.max(1000, period), next: now + Math.max(1000, period) };
  }
}
