/**
 * The pane rendered to static HTML in Node (react-dom/server: no DOM, no
 * jsdom): structure, names and highlights the integrator and e2e tests rely on.
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { MachineView } from '../../../src/core';
import { DebuggerPane } from '../../../src/ui/debugger';
import { flags, hex64, makeView, regs, vcpu } from './fixtures';

const noop = () => {};
const render = (view: MachineView | null, previous: MachineView | null = null) =>
  renderToStaticMarkup(
    createElement(DebuggerPane, { view, previous, onSelectVcpu: noop, onMemoryGoto: noop }),
  );

/** Text content of the markup (tags dropped, entities that matter decoded). */
const text = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

describe('DebuggerPane', () => {
  it('shows a hint before a program is loaded', () => {
    const html = render(null);
    expect(text(html)).toMatch(/Load a program/);
    expect(html).not.toMatch(/<section/);
  });

  it('has the eight sections as regions named by their headings', () => {
    const html = render(makeView());
    const headings = [...html.matchAll(/<h3[^>]*id="([^"]+)"[^>]*>.*?<button[^>]*>([^<]+)</g)];
    expect(headings.map((m) => m[2])).toEqual([
      'vCPU',
      'Registers',
      'Last VM exit',
      'kvm_run',
      'Memory',
      'Stack',
      'Disassembly',
      'Host call chain',
    ]);
    expect(html.match(/<section class="dbg-section/g)).toHaveLength(8);
    for (const [, id] of headings) {
      expect(html).toMatch(new RegExp(`<section [^>]*aria-labelledby="${id}"`));
    }
    expect(html.match(/aria-expanded="true"/g)).toHaveLength(8);
  });

  it('lists the vCPUs in a select labelled vCPU, with CPL and mode', () => {
    const html = render(makeView());
    const id = html.match(/<label for="([^"]+)"[^>]*>vCPU<\/label>/)?.[1];
    expect(id).toBeTruthy();
    expect(html).toContain(`<select id="${id}"`);
    expect(html).toMatch(/<option value="0" selected="">vCPU 0 — guest<\/option>/);
    expect(html).toContain('vCPU 1 — blocked (HLT)');
    expect(text(html)).toMatch(/CPL 0 Mode long \(64-bit\)/);
  });

  it('highlights changed registers and flags with the old value', () => {
    const previous = makeView();
    const view = makeView({
      vcpus: [
        vcpu(0, { regs: regs({ rax: 5, rflags: 0x42 }), flags: flags(0x42) }),
        vcpu(1, { stage: 'blocked', halted: true }),
      ],
    });
    const html = render(view, previous);
    expect(html).toContain(
      `<dd class="dbg-mono dbg-changed" title="was ${hex64(0)}" aria-description="changed, was ${hex64(0)}" data-changed="true">${hex64(5)}</dd>`,
    );
    expect(html).toMatch(/<dt>rflags<\/dt><dd class="dbg-mono dbg-changed" title="was 0x0+2"/);
    expect(html).toMatch(/<dt>rbx<\/dt><dd class="dbg-mono">/);
    expect(html).toMatch(
      /<li class="dbg-flag dbg-flag-set dbg-changed" title="ZF \(bit 6\) = 1, was 0"/,
    );
    expect(html.match(/data-changed/g)).toHaveLength(3);
  });

  it('shows nothing as changed without a previous view', () => {
    expect(render(makeView())).not.toContain('dbg-changed');
  });

  it('summarises the last exit and titles the field table per vendor', () => {
    const html = render(makeView());
    const t = text(html);
    expect(t).toContain('Reason VMCALL (18)');
    expect(t).toContain('Exit # 0');
    expect(t).toContain('Instruction length 3 bytes');
    expect(t).toContain('Handled in the kernel (KVM)');
    expect(t).toContain('kvm_run exit —');
    expect(t).toContain('Hypercall KVM_HC_KICK_CPU (nr 0x5)');
    expect(t).toContain('Arguments 0x0, 0x1');
    expect(html).toContain('<h4 class="dbg-subheading">VMCS fields</h4>');
    expect(html).toContain('title="Basic exit reason 18 = VMCALL"');
    expect(html).toMatch(
      /<th scope="row"[^>]*>VM_EXIT_REASON<\/th><td class="dbg-mono">0x12<\/td>/,
    );

    const amd = makeView({
      vendor: 'amd',
      exit: { ...makeView().exit!, reason: 'VMMCALL', code: 0x81, structure: 'VMCB' },
    });
    expect(render(amd)).toContain('<h4 class="dbg-subheading">VMCB fields</h4>');
    expect(text(render(makeView({ exit: null })))).toContain('No VM exit on vCPU 0 yet.');
  });

  it('renders kvm_run as a name/value table with header cells', () => {
    const html = render(makeView());
    expect(html).toMatch(/<caption[^>]*>struct kvm_run<\/caption>/);
    expect(html).toMatch(
      /<th scope="row"[^>]*>exit_reason<\/th><td class="dbg-mono">KVM_EXIT_UNKNOWN \(0\)/,
    );
  });

  it('renders memory with a labelled address input, the buttons and lit bytes', () => {
    const previous = makeView();
    const view = makeView({
      memory: { ...previous.memory, bytes: previous.memory.bytes.map((b, i) => (i === 1 ? 7 : b)) },
    });
    const html = render(view, previous);
    const id = html.match(/<label for="([^"]+)"[^>]*>Go to address<\/label>/)?.[1];
    expect(html).toContain(`<input id="${id}"`);
    for (const name of ['Go', 'Follow RIP', 'Follow RSP']) {
      expect(html).toMatch(
        new RegExp(`<button type="(submit|button)" class="dbg-button">${name}</button>`),
      );
    }
    expect(html).toContain('<th scope="row" class="dbg-mono">0x00010000</th>');
    expect(html).toContain('title="was 0x5"');
    expect(html).toMatch(/data-changed="true">07<\/td>/);
    expect(html).toContain('<td class="dbg-mono dbg-ascii">.........Hi!    </td>');
  });

  it('shows the memory error for a window outside RAM', () => {
    const html = render(
      makeView({ memory: { address: 0x300000, bytes: [], error: 'no memory slot' } }),
    );
    expect(html).toContain('no memory slot');
    expect(html).not.toContain('dbg-hex');
  });

  it('marks RSP on the stack and the current instruction in the disassembly', () => {
    const html = render(makeView());
    expect(html).toMatch(/<tr class="dbg-current" aria-current="true"><td class="dbg-marker">RSP/);
    expect(html).toMatch(
      /<tr class="dbg-current" aria-current="true"><td class="dbg-marker" aria-hidden="true">▶<\/td><th scope="row" class="dbg-mono">0x00010005<\/th><td class="dbg-mono dbg-bytes">0F 01 C1<\/td><td class="dbg-mono dbg-insn">vmcall<\/td>/,
    );
    expect(html.match(/aria-current/g)).toHaveLength(2);
  });

  it('lists the host call chain outermost first with phase and source', () => {
    const html = render(makeView());
    expect(html).toMatch(/<ol class="dbg-chain"[^>]*><li class="dbg-mono">KVM_RUN<\/li><li/);
    expect(text(html)).toContain('Phase handle');
    expect(text(html)).toContain('arch/x86/kvm/x86.c');
    const guest = makeView({ phase: { ...makeView().phase!, phase: 'guest', chain: [] } });
    expect(text(render(guest))).toContain('vCPU 0 is in the guest');
    expect(text(render(makeView({ phase: null })))).toContain('in the guest');
  });
});
