/**
 * The shape of a lesson: plain data (strings, numbers, arrays, the core's
 * PolicyRule), so the page, the Worker, the CLI and the tests read the same
 * objects. Nothing here runs; src/lessons/check.ts runs a lesson on the core.
 *
 * A teacher runs the ten lessons of `LESSONS` (index.ts) in order. Each one
 * has a program (assembly with comments for students), the settings the page
 * loads it with, a short text, the seed tutorial's mistakes that belong to its
 * topic, and 1–3 "predict the next exit" questions whose stated answers the
 * test suite checks against the run.
 */
import type { PolicyRule } from '../core/index';

export type Vendor = 'intel' | 'amd';

/**
 * VM options a lesson sets: the same fields and meaning as the page's
 * `VmSettings` (src/worker/protocol.ts) and the core's `VmOptions`, so
 * `{ vendor, vcpus, vm }` can be handed to the page's `RunSettings` as is.
 */
export interface LessonVmSettings {
  /** KVM_CREATE_IRQCHIP (default: only with more than one vCPU). */
  irqchip?: boolean;
  /** KVM_ENABLE_CAP(KVM_CAP_EXIT_HYPERCALL, mask): bit 12 sends KVM_HC_MAP_GPA_RANGE to the VMM. */
  exitHypercallMask?: number;
  /** false: KVM_X86_QUIRK_FIX_HYPERCALL_INSN disabled (the wrong vendor's instruction gets #UD). */
  fixHypercallQuirk?: boolean;
  /** Interception rules (a kVMI-style model, not upstream KVM). */
  policy?: PolicyRule[];
}

/** What the page loads the program with (structurally the page's `RunSettings`). */
export interface LessonSettings {
  vendor: Vendor;
  /** 1–4 vCPUs; every vCPU starts at the entry with RDI = its index. */
  vcpus: number;
  vm?: LessonVmSettings;
}

/**
 * Where a question is asked: a point of the run the page can reach
 * deterministically from a fresh load of the lesson's program.
 *
 * - `{ line, vcpu? }`: run from the start until a vCPU (`vcpu`, or whichever
 *   gets there first) is about to execute the first instruction on source
 *   line `line` (1-based) for the first time: a breakpoint on that line.
 *   The question is about *that vCPU's* next VM exit (which may be caused by
 *   the instruction on the line itself).
 * - `{ exit }`: just before exit number `exit` (0-based, counting every
 *   vCPU's exits in the order the trace records them). The next exit is
 *   exit `exit`, of whichever vCPU takes it.
 */
export type QuestionAnchor = { line: number; vcpu?: number } | { exit: number };

/** Registers a question may ask about (lowercase, as in assembly). */
export type RegisterName =
  | 'rax'
  | 'rcx'
  | 'rdx'
  | 'rbx'
  | 'rsp'
  | 'rbp'
  | 'rsi'
  | 'rdi'
  | 'r8'
  | 'r9'
  | 'r10'
  | 'r11'
  | 'r12'
  | 'r13'
  | 'r14'
  | 'r15'
  | 'rip'
  | 'rflags';

/**
 * What is asked about the anchored vCPU's next VM exit. The answer is a
 * string; check.ts computes the true one from the run:
 *
 * - `exit-reason`: the exit reason as the lesson's vendor names it
 *   (Intel: `VMCALL`, `IO_INSTRUCTION`, `HLT`, `CPUID`, `EXCEPTION_NMI`,
 *   `EPT_VIOLATION` …; AMD: `VMMCALL`, `IOIO`, `HLT`, `EXCP`, `NPF` …).
 * - `kvm-exit`: what `KVM_RUN` returns to the VMM for that exit: a
 *   `KVM_EXIT_*` name, or `none` when KVM finishes the exit in the kernel
 *   (the handler returns 1 and `KVM_RUN` does not return).
 * - `register`: the register's value once KVM has finished that exit and
 *   the vCPU re-enters the guest (or, if the VMM stops the vCPU there, its
 *   final value), as `0x`-prefixed lowercase hex without leading zeros
 *   (`0x0`, `0xfffffffffffffc18`). "What will RAX hold after the hypercall?"
 */
export type QuestionAsk =
  { kind: 'exit-reason' } | { kind: 'kvm-exit' } | { kind: 'register'; reg: RegisterName };

/** One answer a student can pick. */
export interface Choice {
  /** Compared with the computed answer (see QuestionAsk). */
  value: string;
  /** What the page shows, if not `value` ("0xfffffffffffffc18 (-1000, -KVM_ENOSYS)"). */
  label?: string;
}

/** A "predict the next exit" question. */
export interface Question {
  at: QuestionAnchor;
  ask: QuestionAsk;
  /** The question as the student reads it. */
  prompt: string;
  /** 2–6 choices; exactly one has `value === answer`. */
  choices: Choice[];
  /** The lesson's stated answer (tests check it equals the run's). */
  answer: string;
  /** Shown after the student answers: why, with the Linux function and file. */
  explain: string;
  /** Ask it on this variant's program and settings instead of the lesson's. */
  variant?: string;
}

/**
 * A claim of the seed tutorial (/work/shared/seed, paraphrased, never
 * quoted) and what Linux does instead, with where to read it. The page
 * renders it as "The seed tutorial says {claim}; in Linux {linux} ({source})."
 */
export interface SeedCorrection {
  claim: string;
  linux: string;
  /** Linux source paths (relative to the tree) or documents. */
  source: string;
}

/** How a run of the program must end (checked by the tests, through the CLI path). */
export interface LessonExpect {
  /** `cli run --json`'s `stop`: a `KVM_EXIT_*` name, `all-halted` or `budget`. */
  stop: string;
  /** Exits by reason name, if pinned (all of them: a reason not listed must not occur). */
  exitsByReason?: Record<string, number>;
  /** What the guest wrote to its serial/debug port. */
  console?: string;
  /** Set-up ioctl names that must appear on the VMM lane, in this order (others may come between). */
  ioctls?: string[];
}

/**
 * One of several programs whose exits and modelled time a lesson compares
 * (check.ts `compareVariants`). Variants of the same `group` are compared
 * with each other.
 */
export interface LessonVariant {
  id: string;
  label: string;
  group: string;
  program: string;
  settings: LessonSettings;
  expect: LessonExpect;
  /** What to look at in the comparison. */
  note?: string;
}

/**
 * One lesson.
 *
 * `text` is plain text with very light markup (parse it with
 * markup.ts `parseLessonText`):
 * - blocks are separated by blank lines;
 * - inside a block, consecutive lines starting with `- ` form a bullet list
 *   (one item per line), and consecutive other lines form one paragraph
 *   (joined with spaces);
 * - text between backticks is code (`KVM_RUN`, `arch/x86/kvm/x86.c`).
 * No HTML.
 */
export interface Lesson {
  /** 1–10, the order a teacher runs them in. */
  id: number;
  /** Stable name for links ("first-hypercall"). */
  slug: string;
  title: string;
  /** One line for a table of contents. */
  summary: string;
  text: string;
  /** Assembly for the editor, commented for students. */
  program: string;
  settings: LessonSettings;
  expect: LessonExpect;
  questions: Question[];
  /** The seed tutorial's mistakes on this lesson's topic (may be empty). */
  seed: SeedCorrection[];
  variants?: LessonVariant[];
}
