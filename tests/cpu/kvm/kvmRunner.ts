/**
 * Run flat guest images on the real CPU under Linux KVM, through the small C
 * program in tools/kvm-runner/ (built here with gcc on first use and cached
 * in node_modules/.cache/hypercall-lab/).
 *
 * The guest machine is DESIGN.md §5's: RAM at guest physical 0, 64-bit mode
 * at CPL 0, flat segments, identity-mapped, GPRs 0 except RSP = 0x80000 and
 * RDI = 0, RFLAGS = 0x2. One `runUnderKvm` call is one runner process and one
 * VM, which runs the whole batch (memory and registers are reset per image).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const RUNNER_SOURCE = 'tools/kvm-runner/kvm-runner.c';

/**
 * The repository root: the nearest directory above this module that holds
 * the runner's source. Searched, not fixed, because `npm run bench` runs
 * this module from a bundle under node_modules/.cache.
 */
function findRepo(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, RUNNER_SOURCE))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`${RUNNER_SOURCE} not found above ${import.meta.url}`);
    dir = up;
  }
  return dir;
}

const REPO = findRepo();
const SOURCE = join(REPO, RUNNER_SOURCE);
const CACHE_DIR = join(REPO, 'node_modules/.cache/hypercall-lab');

/** Register names in encoding order (the order of `KvmResult.regs`). */
export const GPR_NAMES = [
  'rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi',
  'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15',
] as const; // prettier-ignore

export interface KvmImage {
  bytes: Uint8Array;
  /** Guest physical (= linear) address of `bytes[0]`. */
  origin: number;
  /** Where execution starts; defaults to `origin`. */
  entry?: number;
  /**
   * How many I/O or MMIO exits to see before stopping (default 1: stop at the
   * first). Earlier OUTs and MMIO writes are dropped, INs and MMIO reads
   * return all-ones bytes. HLT, shutdown and errors always stop.
   */
  maxExits?: number;
}

export interface KvmResult {
  /**
   * How the image stopped: `hlt`, `io port=0x… size=… dir=in|out count=…[ data=…]`,
   * `mmio addr=0x… len=… dir=read|write[ data=…]`, `shutdown` (triple fault: any
   * exception, since the IDT limit is 0), `internal-error suberror=…`,
   * `fail-entry reason=…`, `timeout`, `exit <n>` (another KVM_EXIT_* number),
   * `exception vector=N error=0x…` (only with `trapExceptions`) or `error …`
   * (the runner could not run it). After `shutdown` the registers are NOT
   * reliable (nested SVM shows a stale state); use `trapExceptions` to learn
   * where a program faulted.
   */
  stop: string;
  /** 16 GPRs in encoding order: rax rcx rdx rbx rsp rbp rsi rdi r8 … r15. */
  regs: bigint[];
  /**
   * RIP as KVM reports it. After `hlt` KVM has retired the HLT, so this is
   * the HLT's address + 1; after I/O and MMIO exits the instruction is
   * complete too.
   */
  rip: bigint;
  rflags: bigint;
  /** Number of exits to userspace seen (1 unless `maxExits` > 1). */
  exits: number;
}

export type KvmAvailability = { ok: true } | { ok: false; why: string };

export interface RunOptions {
  /** Per-image wall-clock limit in ms (default 2000); reported as `timeout`. */
  timeoutMs?: number;
  /** Guest RAM in MiB (default 2). */
  ramMib?: number;
  /**
   * Diagnostics: install a real IDT (at 0x4000, stubs at 0x5000) so that an
   * exception stops with `exception vector=N error=0x…` and the faulting
   * RIP/RFLAGS/RSP, instead of a triple fault (`shutdown`, whose register
   * state KVM does not report reliably).
   */
  trapExceptions?: boolean;
  /**
   * `kernel` (default): the DESIGN.md §5 machine, CPL 0.
   * `user`: the same image at CPL 3 (user code/data segments, a TSS and a
   * real IDT; implies `trapExceptions`); the final HLT faults with #GP(0),
   * which the runner reports as `hlt` with RIP = HLT + 1. Use it to run the
   * guest natively on the CPU where KVM cannot run CPL-0 code natively (the
   * PVM backend emulates every CPL-0 instruction with KVM's x86 emulator:
   * see tools/kvm-runner/README.md). Unprivileged instructions compute the
   * same at either CPL; PUSHF may show IF = 1 there.
   */
  mode?: 'kernel' | 'user';
}

let cachedBinary: string | undefined;
let cachedAvailability: KvmAvailability | undefined;

/** Compile the runner (once per source version) and return its path. */
function buildRunner(): string {
  if (cachedBinary) return cachedBinary;
  const source = readFileSync(SOURCE);
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 12);
  const binary = join(CACHE_DIR, `kvm-runner-${hash}`);
  if (!existsSync(binary)) {
    mkdirSync(CACHE_DIR, { recursive: true });
    // Build under a private name, then rename: parallel workers never see a half-written file.
    const tmp = `${binary}.${process.pid}.tmp`;
    const cc = spawnSync('gcc', ['-O2', '-o', tmp, SOURCE], { encoding: 'utf8' });
    if (cc.error) throw new Error(`gcc: ${cc.error.message}`);
    if (cc.status !== 0) throw new Error(`gcc failed:\n${cc.stderr}`);
    renameSync(tmp, binary);
  }
  cachedBinary = binary;
  return binary;
}

/**
 * Can we run guests under KVM here? Checks /dev/kvm (readable and writable),
 * gcc, builds the runner and asks it to create a VM.
 */
export function kvmAvailable(): KvmAvailability {
  if (cachedAvailability) return cachedAvailability;
  cachedAvailability = checkAvailability();
  return cachedAvailability;
}

function checkAvailability(): KvmAvailability {
  if (process.platform !== 'linux')
    return { ok: false, why: `KVM needs Linux (this is ${process.platform})` };
  try {
    accessSync('/dev/kvm', constants.R_OK | constants.W_OK);
  } catch (e) {
    return { ok: false, why: `/dev/kvm is not readable and writable: ${(e as Error).message}` };
  }
  const gcc = spawnSync('gcc', ['--version'], { encoding: 'utf8' });
  if (gcc.error || gcc.status !== 0)
    return { ok: false, why: 'gcc is not installed (needed to build tools/kvm-runner)' };
  let binary: string;
  try {
    binary = buildRunner();
  } catch (e) {
    return { ok: false, why: `cannot build tools/kvm-runner: ${(e as Error).message}` };
  }
  const check = spawnSync(binary, ['--check'], { encoding: 'utf8', timeout: 10_000 });
  if (check.status !== 0 || check.stdout.trim() !== 'ok')
    return {
      ok: false,
      why: `kvm-runner cannot create a VM: ${check.stderr.trim() || check.error?.message}`,
    };
  return { ok: true };
}

/** Encode one image as a runner record line. */
function record(img: KvmImage): string {
  const entry = img.entry ?? img.origin;
  return `${img.origin.toString(16)} ${entry.toString(16)} ${img.maxExits ?? 1} ${Buffer.from(img.bytes).toString('hex')}`;
}

/** Parse one runner result line (see tools/kvm-runner/README.md). */
export function parseResultLine(line: string): KvmResult {
  const parts = line.split(' ');
  if (parts.length < 20) throw new Error(`kvm-runner: malformed result line: ${line}`);
  const nums = parts.slice(0, 18).map((h) => BigInt(`0x${h}`));
  return {
    regs: nums.slice(0, 16),
    rip: nums[16]!,
    rflags: nums[17]!,
    exits: Number(parts[18]),
    stop: parts.slice(19).join(' '),
  };
}

/**
 * Run every image under KVM, in one runner process, and return one result per
 * image (same order). Throws if the runner cannot be started or dies.
 */
export function runUnderKvm(images: readonly KvmImage[], opts: RunOptions = {}): KvmResult[] {
  if (images.length === 0) return [];
  const binary = buildRunner();
  const args = [
    '--timeout-ms',
    String(opts.timeoutMs ?? 2000),
    '--ram-mib',
    String(opts.ramMib ?? 2),
  ];
  if (opts.trapExceptions) args.push('--trap-exceptions');
  if (opts.mode === 'user') args.push('--user');
  const input = images.map(record).join('\n') + '\n';
  const out = spawnSync(binary, args, {
    input,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    // A backstop for a stuck runner (guest hangs are cut per image by --timeout-ms).
    timeout: 60_000 + images.length * 50,
    killSignal: 'SIGKILL',
  });
  if (out.error) throw new Error(`kvm-runner: ${out.error.message}`);
  if (out.status !== 0) throw new Error(`kvm-runner exited with ${out.status}: ${out.stderr}`);
  const lines = out.stdout.split('\n').filter((l) => l.length > 0);
  if (lines.length !== images.length)
    throw new Error(
      `kvm-runner: ${images.length} images but ${lines.length} results\n${out.stderr}`,
    );
  return lines.map(parseResultLine);
}
