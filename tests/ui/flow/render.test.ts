import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { PhaseView } from '../../../src/core';
import { FlowDiagram, type FlowDiagramProps } from '../../../src/ui/flow';
import { INTEL_LABELS, AMD_LABELS } from '../../../src/ui/flow/labels';
import { NODES } from '../../../src/ui/flow/graph';
import { HANDLE_KICK } from './fixtures';

// Server rendering needs no DOM: it checks the markup contract without jsdom.
const render = (props: FlowDiagramProps) => renderToStaticMarkup(createElement(FlowDiagram, props));

const DISPATCH: PhaseView = {
  ...HANDLE_KICK,
  index: 41,
  phase: 'dispatch',
  chain: ['vcpu_enter_guest', 'vmx_handle_exit', '__vmx_handle_exit', 'kvm_vmx_exit_handlers[]'],
  source: 'arch/x86/kvm/vmx/vmx.c',
};

/** Text as React escapes it in markup. */
const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The class attribute of the <g> whose <title> is `title`. */
function groupClassFor(markup: string, title: string): string | undefined {
  const esc = escapeHtml(title).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`<g class="([^"]*)"><title>${esc}</title>`).exec(markup);
  return m?.[1];
}

describe('<FlowDiagram> markup', () => {
  it('is an image named after the active phase, with a polite live text panel', () => {
    const html = render({
      phase: HANDLE_KICK,
      previous: DISPATCH,
      vendor: 'intel',
      durationMs: 400,
    });
    expect(html).toContain('role="img"');
    expect(html).toContain('aria-label="Active phase: handle — ____kvm_emulate_hypercall"');
    expect(html).toContain('aria-live="polite"');
    expect(html).toMatch(/viewBox="0 0 \d+ \d+"/);
  });

  it('gives every box a <title> and lights up only the active one', () => {
    const html = render({
      phase: HANDLE_KICK,
      previous: DISPATCH,
      vendor: 'intel',
      durationMs: 400,
    });
    for (const n of NODES)
      expect(html, n.id).toContain(
        `<title>${escapeHtml(INTEL_LABELS.nodes[n.id].tooltip)}</title>`,
      );
    expect(groupClassFor(html, INTEL_LABELS.nodes.handler.tooltip)).toContain('is-active');
    expect(groupClassFor(html, INTEL_LABELS.nodes['exit-dispatch'].tooltip)).toContain('is-from');
    expect(groupClassFor(html, INTEL_LABELS.nodes.guest.tooltip)).not.toContain('is-active');
    expect(html.match(/is-active/g)?.length).toBe(1);
  });

  it('lights the arrow travelled and draws the token at its start', () => {
    const html = render({
      phase: HANDLE_KICK,
      previous: DISPATCH,
      vendor: 'intel',
      durationMs: 400,
    });
    expect(groupClassFor(html, INTEL_LABELS.edges['exit-dispatch>handler'].tooltip)).toContain(
      'is-on',
    );
    expect(html).toMatch(/<circle[^>]*class="flow-token"[^>]*cx="186"[^>]*cy="174"/);
  });

  it('puts the token at the end at once when durationMs is 0', () => {
    const html = render({ phase: HANDLE_KICK, previous: DISPATCH, vendor: 'intel', durationMs: 0 });
    expect(html).toMatch(/<circle[^>]*class="flow-token"[^>]*cx="186"[^>]*cy="264"/);
  });

  it('shows the function, chain, source, values, reads/writes and the static sentence', () => {
    const html = render({ phase: HANDLE_KICK, vendor: 'intel', durationMs: 0 });
    for (const s of [
      '____kvm_emulate_hypercall',
      'arch/x86/kvm/x86.c',
      'KVM_HC_KICK_CPU',
      'kvm_run.hypercall.ret',
      'RSI (a0–a3)',
      'reads',
      'writes',
      'answers -KVM_EPERM if CPL ≠ 0',
    ])
      expect(html, s).toContain(s);
  });

  it('uses the vendor’s words', () => {
    const intel = render({ phase: DISPATCH, vendor: 'intel', durationMs: 0 });
    const amd = render({ phase: DISPATCH, vendor: 'amd', durationMs: 0 });
    expect(intel).toContain('VMX non-root operation');
    expect(intel).toContain('>VMCS<');
    expect(amd).toContain('SVM guest mode');
    expect(amd).toContain('>VMCB<');
    expect(amd).toContain(AMD_LABELS.nodes['vm-exit'].title);
  });

  it('renders an empty state before the first phase, with no token', () => {
    const html = render({ phase: null, vendor: 'amd', durationMs: 300 });
    expect(html).toContain('aria-label="KVM exit flow: no phase recorded yet"');
    expect(html).toContain('No phase yet');
    expect(html).not.toContain('flow-token');
    expect(html).not.toContain('is-active');
  });

  it('does not travel when the previous event is the same one', () => {
    const html = render({
      phase: HANDLE_KICK,
      previous: HANDLE_KICK,
      vendor: 'intel',
      durationMs: 300,
    });
    expect(html).not.toContain('flow-token');
    expect(html).toContain('is-active');
  });
});
