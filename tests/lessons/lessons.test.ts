/**
 * The lessons (src/lessons): ten in order, each program assembles and runs
 * to its stated end (through `cli run --json` where the CLI can express the
 * settings, through the same core calls with the lesson's VM options
 * otherwise), every question's stated answer is the run's, and lesson 9's
 * variants show what its text claims.
 */
import { describe, expect, it } from 'vitest';
import { runRun } from '../../src/cli/run';
import { addressesOfLine, assemble, Session } from '../../src/core/index';
import { SVM_EXIT_HANDLERS, VMX_EXIT_HANDLERS } from '../../src/core/vmx/exitReasons';
import { KVM_EXIT } from '../../src/core/kvm/constants';
import type { RunSettings } from '../../src/worker/protocol';
import {
  answerAt,
  checkAnswer,
  checkQuestion,
  compareVariants,
  programOf,
  reachAnchor,
  runLesson,
  startSession,
  vmOptionsOf,
  type VariantResult,
} from '../../src/lessons/check';
import {
  EXIT_REASON_NAMES,
  KVM_EXIT_NAMES,
  LESSONS,
  lessonById,
  NO_KVM_EXIT,
  parseLessonText,
  type Lesson,
  type LessonExpect,
  type LessonSettings,
} from '../../src/lessons/index';

/** Every program of a lesson: its own and its variants', with a label. */
function programs(l: Lesson): { label: string; variant?: string }[] {
  return [
    { label: `lesson ${l.id}` },
    ...(l.variants ?? []).map((v) => ({ label: `lesson ${l.id}/${v.id}`, variant: v.id })),
  ];
}

/** The lesson's VM options as `cli run --vm` JSON (bigint rewrite arguments as strings). */
function vmJson(s: LessonSettings): string {
  return JSON.stringify(s.vm ?? {}, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}

interface CliResult {
  stop: string;
  console: string;
  exits: { reason: string; handledIn: string }[];
}

/** `cli run <program> --vendor V --vcpus N --vm <json> --json`, with the program served from memory. */
function cliRun(program: string, s: LessonSettings): CliResult {
  let out = '';
  let err = '';
  const args = ['lesson.s', '--vendor', s.vendor, '--vcpus', String(s.vcpus)];
  const code = runRun([...args, '--vm', vmJson(s), '--json'], {
    readFile: () => program,
    writeFile: () => {},
    out: { write: (x: string) => (out += x) },
    err: { write: (x: string) => (err += x) },
  });
  expect(err).toBe('');
  expect(code).toBe(0);
  return JSON.parse(out) as CliResult;
}

function byReason(exits: { reason: string }[]): Record<string, number> {
  const m: Record<string, number> = {};
  for (const e of exits) m[e.reason] = (m[e.reason] ?? 0) + 1;
  return m;
}

/** `want` appears in `have` in order (other items may come between). */
function isSubsequence(want: readonly string[], have: readonly string[]): boolean {
  let i = 0;
  for (const h of have) if (i < want.length && h === want[i]) i++;
  return i === want.length;
}

function checkExpect(
  label: string,
  expectOf: LessonExpect,
  r: { stop: string; console: string; exitsByReason: Record<string, number>; ioctls?: string[] },
) {
  expect(r.stop, `${label} stop`).toBe(expectOf.stop);
  if (expectOf.console !== undefined) expect(r.console, `${label} console`).toBe(expectOf.console);
  if (expectOf.exitsByReason)
    expect(r.exitsByReason, `${label} exits`).toEqual(expectOf.exitsByReason);
  if (expectOf.ioctls && r.ioctls) {
    expect(isSubsequence(expectOf.ioctls, r.ioctls), `${label} ioctls ${r.ioctls.join(' ')}`).toBe(
      true,
    );
  }
}

describe('the lesson sequence', () => {
  it('has ten lessons with ids 1–10 in order, unique ids and slugs', () => {
    expect(LESSONS.map((l) => l.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(new Set(LESSONS.map((l) => l.slug)).size).toBe(10);
    for (const l of LESSONS) {
      expect(lessonById(l.id)).toBe(l);
      expect(lessonById(l.slug)).toBe(l);
    }
  });

  it('each lesson has a title, a one-line summary, text, 1–3 questions and valid settings', () => {
    for (const l of LESSONS) {
      expect(l.title.length, `lesson ${l.id}`).toBeGreaterThan(5);
      expect(l.summary, `lesson ${l.id}`).not.toContain('\n');
      expect(l.questions.length, `lesson ${l.id}`).toBeGreaterThanOrEqual(1);
      expect(l.questions.length, `lesson ${l.id}`).toBeLessThanOrEqual(3);
      for (const s of [l.settings, ...(l.variants ?? []).map((v) => v.settings)]) {
        expect(['intel', 'amd']).toContain(s.vendor);
        expect(s.vcpus).toBeGreaterThanOrEqual(1);
        expect(s.vcpus).toBeLessThanOrEqual(4);
      }
    }
  });

  it("settings are the page's RunSettings as they are", () => {
    const all: RunSettings[] = LESSONS.flatMap((l) => [
      l.settings,
      ...(l.variants ?? []).map((v) => v.settings),
    ]);
    expect(all.length).toBeGreaterThan(10);
  });

  it('lesson text is light markup: paragraphs and lists, no HTML, paired backticks', () => {
    for (const l of LESSONS) {
      expect(l.text, `lesson ${l.id}`).not.toMatch(/<\/?[a-z][^>]*>/i);
      const blocks = parseLessonText(l.text);
      expect(blocks.length, `lesson ${l.id}`).toBeGreaterThanOrEqual(3);
      for (const block of l.text.split(/\n\s*\n/)) {
        expect((block.match(/`/g) ?? []).length % 2, `lesson ${l.id}: ${block.slice(0, 60)}`).toBe(
          0,
        );
      }
    }
  });

  it("the seed tutorial's mistakes are shown and corrected with sources", () => {
    const all = LESSONS.flatMap((l) => l.seed);
    expect(all.length).toBeGreaterThanOrEqual(12);
    for (const c of all) {
      expect(c.claim.length).toBeGreaterThan(20);
      expect(c.linux.length).toBeGreaterThan(20);
      expect(c.source).toMatch(/\.(c|h|rst)\b/);
    }
    const text = all.map((c) => `${c.claim} ${c.linux}`).join('\n');
    // The topics the seed raises (shared/seed/README.md): the ioctl "hypercalls",
    // the flow, interception (kVMI), emulation, event-driven, thread pools, batching.
    for (const topic of [
      'KVM_CREATE_VM',
      'run loop',
      'kVMI',
      'emulation',
      'polling',
      'thread pool',
      'batching',
      'privileged',
    ]) {
      expect(text, topic).toContain(topic);
    }
  });
});

describe('every lesson program assembles and runs to its expected end', () => {
  for (const l of LESSONS) {
    for (const p of programs(l)) {
      it(`${p.label} assembles without errors`, () => {
        const a = assemble(programOf(l, p.variant).program);
        expect(a.errors).toEqual([]);
        expect(a.ok).toBe(true);
      });

      it(`${p.label} ends as stated (CLI path)`, () => {
        const { program, settings, expect: want } = programOf(l, p.variant);
        const core = runLesson(l, p.variant);
        if (!core.ok) throw new Error(core.error);
        checkExpect(`${p.label} (core)`, want, core);
        // The same program through `cli run --vm … --json`: same end, same exits.
        const cli = cliRun(program, settings);
        checkExpect(`${p.label} (cli)`, want, {
          ...cli,
          exitsByReason: want.exitsByReason ? byReason(cli.exits) : {},
        });
        expect(byReason(cli.exits)).toEqual(core.exitsByReason);
        expect(cli.exits.filter((e) => e.handledIn === 'userspace')).toHaveLength(
          core.userspaceExits,
        );
      });
    }
  }
});

describe('questions', () => {
  it("are well formed: one right choice, choices of the lesson's vendor, anchors on instructions", () => {
    for (const l of LESSONS) {
      l.questions.forEach((q, i) => {
        const label = `lesson ${l.id} question ${i + 1}`;
        const { program, settings } = programOf(l, q.variant);
        expect(q.choices.length, label).toBeGreaterThanOrEqual(2);
        expect(q.choices.length, label).toBeLessThanOrEqual(6);
        const values = q.choices.map((c) => c.value);
        expect(new Set(values).size, `${label} unique choices`).toBe(values.length);
        expect(
          values.filter((v) => v === q.answer),
          `${label} answer among choices`,
        ).toHaveLength(1);
        expect(q.explain.length, label).toBeGreaterThan(40);
        for (const v of values) {
          if (q.ask.kind === 'exit-reason')
            expect(EXIT_REASON_NAMES[settings.vendor], `${label}: ${v}`).toContain(v);
          else if (q.ask.kind === 'kvm-exit')
            expect([NO_KVM_EXIT, ...KVM_EXIT_NAMES], `${label}: ${v}`).toContain(v);
          else expect(v, label).toMatch(/^0x(0|[1-9a-f][0-9a-f]*)$/);
        }
        if ('line' in q.at) {
          const a = assemble(program);
          expect(
            addressesOfLine(a.sourceMap, q.at.line).length,
            `${label}: line ${q.at.line} has an instruction`,
          ).toBeGreaterThan(0);
          if (q.at.vcpu !== undefined) expect(q.at.vcpu, label).toBeLessThan(settings.vcpus);
        }
      });
    }
  });

  for (const l of LESSONS) {
    l.questions.forEach((q, i) => {
      it(`lesson ${l.id} question ${i + 1}: the stated answer is the run's (${q.answer})`, () => {
        const r = checkQuestion(l, q);
        if (!r.ok) throw new Error(r.error);
        expect(r.answer).toBe(q.answer);
      });
    });
  }

  it('checkAnswer accepts the right choice and rejects the others', () => {
    const l = LESSONS[2];
    const q = l.questions[0];
    expect(checkAnswer(l, 0, q.answer)).toEqual({ correct: true, actual: q.answer });
    const wrong = q.choices.find((c) => c.value !== q.answer)!.value;
    expect(checkAnswer(l, 0, wrong)).toEqual({ correct: false, actual: q.answer });
  });

  it('reachAnchor: {exit: k} stops just before exit k; {line} stops on the line', () => {
    const l = LESSONS[7];
    const s = startSession(l.program, l.settings);
    if (!s.ok) throw new Error(s.error);
    const at = reachAnchor(s.session, s.sourceMap, { exit: 1 });
    expect(at).toEqual({ ok: true, vcpu: 0 });
    expect(s.session.vmm.trace.exitCount).toBe(1);
    const r = answerAt(s.session, 0, { kind: 'exit-reason' });
    expect(r.ok && r.exit).toBe(1);

    const l2 = LESSONS[1];
    const q = l2.questions[0];
    if (!('line' in q.at)) throw new Error('line anchor expected');
    const s2 = startSession(l2.program, l2.settings);
    if (!s2.ok) throw new Error(s2.error);
    expect(reachAnchor(s2.session, s2.sourceMap, q.at)).toEqual({ ok: true, vcpu: 0 });
    expect(addressesOfLine(s2.sourceMap, q.at.line)).toContain(
      s2.session.vmm.kvm.cpus[0].state.rip,
    );
    expect(s2.session.breakpoints.addresses.size).toBe(0);
  });

  it('an anchor the run never reaches is reported, not thrown', () => {
    const l = LESSONS[0];
    expect(checkQuestion(l, { ...l.questions[0], at: { exit: 99 } })).toMatchObject({ ok: false });
    expect(checkQuestion(l, { ...l.questions[0], at: { line: 1 } })).toMatchObject({ ok: false });
  });
});

describe('lesson 8: the VMCALL ↔ VMMCALL patching quirk', () => {
  const l = LESSONS[7];
  const siteBytes = (variant: string): number[] => {
    const { program, settings } = programOf(l, variant);
    const a = assemble(program);
    const site = Number(a.symbols.find((s) => s.name === 'site')!.value);
    const session = new Session(
      { bytes: a.bytes, origin: a.origin, entry: a.entry },
      vmOptionsOf(settings),
    );
    session.vmm.run(100_000);
    return Array.from(session.vmm.mem.bytes.subarray(site, site + 3));
  };

  it('quirk on: KVM rewrote VMCALL to VMMCALL in guest memory', () => {
    expect(siteBytes('quirk-on')).toEqual([0x0f, 0x01, 0xd9]);
  });

  it('quirk off: guest memory is untouched and no hypercall happens', () => {
    expect(siteBytes('quirk-off')).toEqual([0x0f, 0x01, 0xc1]);
    const r = compareVariants(l).find((v) => v.id === 'quirk-off')!;
    expect(r.exitsByReason.VMMCALL).toBeUndefined();
  });
});

describe('lesson 9: the variants show what the text claims', () => {
  const l = LESSONS[8];
  const results = compareVariants(l);
  const get = (id: string): VariantResult => {
    const r = results.find((v) => v.id === id);
    if (!r) throw new Error(`no variant ${id}`);
    return r;
  };

  it('is deterministic and covers every variant', () => {
    expect(results.map((r) => r.id)).toEqual(l.variants!.map((v) => v.id));
    expect(compareVariants(l)).toEqual(results);
  });

  it('waiting: HLT takes fewer exits than polling, sleeps, and runs fewer guest instructions than spinning', () => {
    const hlt = get('hlt');
    const poll = get('poll-hypercall');
    const spin = get('spin');
    expect(hlt.exits).toBeLessThan(poll.exits);
    expect(poll.exitsByReason.VMCALL).toBeGreaterThan(10);
    expect(hlt.haltedCycles).toBeGreaterThan(0);
    expect(poll.haltedCycles).toBe(0);
    expect(spin.haltedCycles).toBe(0);
    expect(hlt.guestInstructions).toBeLessThan(spin.guestInstructions / 100);
    // All three wait for the same three timer ticks: the same span of simulated time.
    for (const r of [poll, spin])
      expect(Math.abs(r.modelledCycles - hlt.modelledCycles)).toBeLessThan(hlt.modelledCycles / 10);
  });

  it('batching: one MAP_GPA_RANGE of 8 pages beats 8 of one page in exits, userspace exits and time', () => {
    const single = get('map-single');
    const batched = get('map-batched');
    expect(batched.exits).toBeLessThan(single.exits);
    expect(batched.userspaceExits).toBeLessThan(single.userspaceExits);
    expect(batched.modelledCycles).toBeLessThan(single.modelledCycles);
  });

  it('REP OUTSB is not batched (one exit per byte, as em_out passes count 1); REP INSB is (read-ahead)', () => {
    const out = get('out-per-byte');
    const outs = get('rep-outsb');
    expect(outs.exitsByReason.IO_INSTRUCTION).toBe(8);
    expect(outs.exitsByReason.IO_INSTRUCTION).toBe(out.exitsByReason.IO_INSTRUCTION);
    expect(outs.guestInstructions).toBeLessThan(out.guestInstructions);
    const inb = get('in-per-byte');
    const ins = get('rep-insb');
    expect(ins.exitsByReason.IO_INSTRUCTION).toBe(1);
    expect(inb.exitsByReason.IO_INSTRUCTION).toBe(16);
    expect(ins.modelledCycles).toBeLessThan(inb.modelledCycles);
  });
});

describe('vocabulary kept in step with the core', () => {
  it("EXIT_REASON_NAMES lists the names of the core's exit-handler tables", () => {
    const names = (t: Readonly<Record<number, { name: string }>>) =>
      [...new Set(Object.values(t).map((x) => x.name))].sort();
    expect([...EXIT_REASON_NAMES.intel].sort()).toEqual(names(VMX_EXIT_HANDLERS));
    expect([...EXIT_REASON_NAMES.amd].sort()).toEqual(names(SVM_EXIT_HANDLERS));
  });

  it("KVM_EXIT_NAMES numbers agree with the core's KVM_EXIT constants", () => {
    for (const [name, n] of Object.entries(KVM_EXIT))
      expect(KVM_EXIT_NAMES[n]).toBe(`KVM_EXIT_${name}`);
  });
});
