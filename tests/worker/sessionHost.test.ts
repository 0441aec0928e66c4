import { describe, expect, it } from 'vitest';
import { inProcess } from './inProcess';

const VMCALL = `
_start:
    mov eax, 11          ; KVM_HC_SCHED_YIELD
    xor ebx, ebx
    vmcall
    hlt
`;

const LOOP_HC = `
_start:
    mov r12d, 50
.again:
    mov eax, 11
    xor ebx, ebx
    vmcall
    dec r12d
    jnz .again
    hlt
`;

const ENDLESS = `
_start:
    inc rax
    jmp _start
`;

const settings = { vendor: 'intel' as const, vcpus: 1 };
const reg = (v: { regs: { name: string; value: string }[] }, name: string) =>
  v.regs.find((r) => r.name === name)!.value;

describe('the session Worker host', () => {
  it('loads a program and posts the source map, the timeline reset and the reset state', () => {
    const w = inProcess();
    w.send({ type: 'load', source: VMCALL, settings });
    const asm = w.last('assembled')!;
    expect(asm.ok).toBe(true);
    expect(asm.sourceMap.map((e) => e.line)).toEqual([3, 4, 5, 6]);
    expect(w.last('timeline')!.reset).toBe(true);
    const v = w.last('state')!.view;
    expect(reg(v.vcpus[0], 'rip')).toBe('0x0000000000010000');
    expect(reg(v.vcpus[0], 'rsp')).toBe('0x0000000000080000');
    expect(v.vcpus[0].line).toBe(3);
    expect(v.disasm.find((d) => d.current)?.text).toMatch(/^mov\s+eax, ?0xb$/);
  });

  it('reports assembly errors with line and column, and refuses commands', () => {
    const w = inProcess();
    w.send({ type: 'load', source: '_start:\n    movv eax, 1\n', settings });
    const asm = w.last('assembled')!;
    expect(asm.ok).toBe(false);
    expect(asm.errors[0]).toMatchObject({ line: 2, column: 5 });
    w.send({ type: 'command', command: 'step' });
    expect(w.last('error')!.message).toMatch(/No program is loaded/);
  });

  it('walks one VMCALL phase by phase: guest → vm-exit → dispatch → handle → resume', () => {
    const w = inProcess();
    w.send({ type: 'load', source: VMCALL, settings });
    // The first phase is KVM_RUN's first VM entry.
    w.send({ type: 'command', command: 'stepPhase' });
    w.drain();
    expect(w.last('state')!.view.phase!.phase).toBe('resume');
    const phases: string[] = [];
    const fns: string[] = [];
    for (let i = 0; i < 5; i++) {
      w.send({ type: 'command', command: 'stepPhase' });
      w.drain();
      const p = w.last('state')!.view.phase!;
      phases.push(p.phase);
      fns.push(p.chain[p.chain.length - 1]);
    }
    expect(phases).toEqual(['guest', 'vm-exit', 'dispatch', 'handle', 'resume']);
    expect(fns[3]).toMatch(/_*kvm_emulate_hypercall$/);
    const v = w.last('state')!.view;
    expect(reg(v.vcpus[0], 'rax')).toBe('0x0000000000000000');
    // mov eax (5 bytes) + xor ebx (2) = 0x10007: the vmcall; RIP += 3.
    expect(reg(v.vcpus[0], 'rip')).toBe('0x000000000001000a');
    expect(v.exit).toMatchObject({ reason: 'VMCALL', code: 18, length: 3, structure: 'VMCS' });
    expect(v.exit!.hypercall).toMatchObject({ nr: '0xb', name: 'KVM_HC_SCHED_YIELD', ret: '0x0' });
  });

  it('Step back restores the exact previous view', () => {
    const w = inProcess();
    w.send({ type: 'load', source: VMCALL, settings });
    const views = [w.last('state')!.view];
    for (let i = 0; i < 6; i++) {
      w.send({ type: 'command', command: i % 2 ? 'step' : 'stepPhase' });
      w.drain();
      views.push(w.last('state')!.view);
    }
    for (let i = 5; i >= 0; i--) {
      w.send({ type: 'command', command: 'stepBack' });
      expect(w.last('state')!.view).toEqual(views[i]);
    }
  });

  it('Run on an endless loop yields between slices and Pause stops it', () => {
    const w = inProcess();
    w.send({ type: 'load', source: ENDLESS, settings });
    w.send({ type: 'command', command: 'run' });
    expect(w.drain(20)).toBe(20); // still running after 20 slices
    w.send({ type: 'pause' });
    const s = w.last('state')!;
    expect(s.running).toBe(false);
    expect(s.stop?.kind).toBe('paused');
    expect(w.drain()).toBe(1); // the queued slice sees the pause and does nothing
    expect(w.last('state')).toBe(s);
    // One Step back undoes the whole run.
    w.send({ type: 'command', command: 'stepBack' });
    expect(w.last('state')!.view.vcpus[0].instructions).toBe(0);
  });

  it('Run ends at the end of the program, and the timeline has every exit once', () => {
    const w = inProcess();
    w.send({ type: 'load', source: LOOP_HC, settings });
    w.send({ type: 'command', command: 'run' });
    w.drain();
    const s = w.last('state')!;
    expect(s.running).toBe(false);
    expect(s.view.finishedWhy).toBe('KVM_EXIT_HLT');
    const chunks = w.posted.filter((m) => m.type === 'timeline');
    const total = chunks.reduce((n, m) => n + (m.type === 'timeline' ? m.data.count : 0), 0);
    expect(total).toBe(51); // 50 VMCALL + 1 HLT
    expect(s.view.exits).toBe(51);
  });

  it('seeks to an exit in the past and in the known future', () => {
    const w = inProcess();
    w.send({ type: 'load', source: LOOP_HC, settings });
    w.send({ type: 'command', command: 'run' });
    w.drain();
    w.send({ type: 'seekExit', exit: 10 });
    let v = w.last('state')!.view;
    expect(v.exits).toBe(11);
    expect(v.phase).toMatchObject({ phase: 'guest', exit: 10 });
    w.send({ type: 'seekExit', exit: 40 });
    v = w.last('state')!.view;
    expect(v.exits).toBe(41);
    expect(v.phase).toMatchObject({ phase: 'guest', exit: 40 });
    // Seeking is a command: Step back returns to where it was.
    w.send({ type: 'command', command: 'stepBack' });
    expect(w.last('state')!.view.exits).toBe(11);
  });

  it('stops at a line breakpoint', () => {
    const w = inProcess();
    w.send({ type: 'load', source: LOOP_HC, settings });
    w.send({
      type: 'breakpoints',
      breakpoints: { lines: [8], exitReasons: [], hypercalls: [], ports: [] },
    });
    w.send({ type: 'command', command: 'run' });
    w.drain();
    const s = w.last('state')!;
    expect(s.stop).toMatchObject({ kind: 'breakpoint' });
    expect(s.view.vcpus[0].line).toBe(8);
    expect(s.view.exits).toBe(1);
  });

  it('shows another vCPU and another memory window on request', () => {
    const w = inProcess();
    w.send({ type: 'load', source: VMCALL, settings: { vendor: 'amd', vcpus: 2 } });
    w.send({ type: 'inspect', vcpu: 1, memory: 0x10000 });
    const v = w.last('state')!.view;
    expect(v.selected).toBe(1);
    expect(reg(v.vcpus[1], 'rdi')).toBe('0x0000000000000001');
    expect(v.memory.address).toBe(0x10000);
    expect(v.memory.bytes.slice(0, 5)).toEqual([0xb8, 0x0b, 0, 0, 0]);
    w.send({ type: 'inspect', vcpu: 0, memory: 0x7fffff00 });
    expect(w.last('state')!.view.memory.error).toMatch(/outside guest RAM/);
  });
});

describe('lesson checks in the Worker', () => {
  it('checks an answer against a headless run, leaving the page machine alone', async () => {
    const { LESSONS } = await import('../../src/lessons/index');
    const w = inProcess();
    w.send({ type: 'load', source: VMCALL, settings });
    const before = w.last('state')!.view;
    const lesson = LESSONS[0];
    const q = lesson.questions[0];
    w.send({ type: 'lessonCheck', requestId: 7, lesson: lesson.id, question: 0, choice: q.answer });
    expect(w.last('lessonCheck')).toMatchObject({ requestId: 7, correct: true, actual: q.answer });
    w.send({ type: 'lessonCheck', requestId: 8, lesson: lesson.id, question: 0, choice: 'nope' });
    expect(w.last('lessonCheck')).toMatchObject({ requestId: 8, correct: false });
    w.send({ type: 'inspect', vcpu: 0, memory: 'rip' });
    expect(w.last('state')!.view).toEqual(before);
  });

  it('compares a lesson’s variants', async () => {
    const { LESSONS } = await import('../../src/lessons/index');
    const lesson = LESSONS.find((l) => l.variants?.length)!;
    const w = inProcess();
    w.send({ type: 'lessonVariants', requestId: 1, lesson: lesson.id });
    const r = w.last('lessonVariants')!;
    expect(r.results?.length).toBe(lesson.variants!.length);
  });
});

describe('loading another program', () => {
  it('during a Run: the old run stops and the new program runs as on a fresh page', () => {
    const fresh = inProcess();
    fresh.send({ type: 'load', source: LOOP_HC, settings });
    fresh.send({ type: 'command', command: 'run' });
    fresh.drain();
    const expected = fresh.last('state')!.view;

    const w = inProcess();
    w.send({ type: 'load', source: ENDLESS, settings });
    w.send({ type: 'command', command: 'run' });
    w.drain(3); // the endless loop is mid-run, its next slice queued
    w.send({ type: 'load', source: LOOP_HC, settings }); // releases the old session's trace
    w.send({ type: 'command', command: 'run' });
    w.drain();
    const s = w.last('state')!;
    expect(s.running).toBe(false);
    expect(s.view).toEqual(expected);
  });
});
