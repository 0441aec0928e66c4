import { describe, expect, it } from 'vitest';
import { EDGES, NODES, type FlowNodeId } from '../../../src/ui/flow/graph';
import {
  AMD_LABELS,
  INTEL_LABELS,
  labelsFor,
  type VendorLabels,
} from '../../../src/ui/flow/labels';
import { BOX_PAD, DETAIL_SIZE, TITLE_SIZE, fitText, textWidth } from '../../../src/ui/flow/textFit';

const VENDORS: [string, VendorLabels][] = [
  ['intel', INTEL_LABELS],
  ['amd', AMD_LABELS],
];

/** Every word a vendor's diagram shows or offers on hover. */
const allText = (l: VendorLabels): string =>
  [
    ...Object.values(l.zones),
    ...Object.values(l.nodes).flatMap((n) => [n.title, ...n.detail, n.tooltip]),
    ...Object.values(l.edges).flatMap((e) => [e.text ?? '', e.tooltip]),
  ].join('\n');

describe('vendor labels', () => {
  it('label every zone, node and arrow for both vendors', () => {
    for (const [, l] of VENDORS) {
      for (const n of NODES) {
        expect(l.nodes[n.id]?.title, n.id).toBeTruthy();
        expect(l.nodes[n.id].tooltip.length, n.id).toBeGreaterThan(20);
      }
      for (const e of EDGES) expect(l.edges[e.id]?.tooltip, e.id).toBeTruthy();
      for (const e of EDGES.filter((x) => x.labelAt)) expect(l.edges[e.id].text, e.id).toBeTruthy();
      expect(Object.keys(l.edges).sort()).toEqual(EDGES.map((e) => e.id).sort());
    }
    expect(labelsFor('intel')).toBe(INTEL_LABELS);
    expect(labelsFor('amd')).toBe(AMD_LABELS);
  });

  it('differ where the hardware differs: guest mode, transitions, control block, exit dispatch', () => {
    const differ: FlowNodeId[] = ['guest', 'vm-exit', 'vm-control', 'vm-entry', 'exit-dispatch'];
    for (const id of differ) {
      expect(INTEL_LABELS.nodes[id], id).not.toEqual(AMD_LABELS.nodes[id]);
    }
    expect(INTEL_LABELS.zones.guest).toContain('VMX non-root operation');
    expect(AMD_LABELS.zones.guest).toContain('guest mode');
    expect(INTEL_LABELS.nodes['vm-exit'].title).toBe('VM exit');
    expect(AMD_LABELS.nodes['vm-exit'].title).toBe('#VMEXIT');
    expect(INTEL_LABELS.nodes['vm-entry'].detail.join(' ')).toContain('VMRESUME');
    expect(AMD_LABELS.nodes['vm-entry'].title).toBe('VMRUN');
    expect(INTEL_LABELS.nodes['vm-control'].title).toBe('VMCS');
    expect(AMD_LABELS.nodes['vm-control'].title).toBe('VMCB');
    expect(INTEL_LABELS.nodes['exit-dispatch'].title).toBe('vmx_handle_exit');
    expect(AMD_LABELS.nodes['exit-dispatch'].title).toBe('svm_handle_exit');
  });

  it("never use the other vendor's words", () => {
    const intel = allText(INTEL_LABELS);
    const amd = allText(AMD_LABELS);
    for (const w of [/\bVMCB\b/, /\bVMMCALL\b/, /\bVMRUN\b/, /#VMEXIT/, /\bsvm_/, /0F 01 D9/])
      expect(intel, String(w)).not.toMatch(w);
    for (const w of [
      /\bVMCS\b/,
      /\bVMCALL\b/,
      /\bVMRESUME\b/,
      /\bVMLAUNCH\b/,
      /\bvmx_/,
      /0F 01 C1/,
    ])
      expect(amd, String(w)).not.toMatch(w);
  });

  it('fit every line inside its box (width estimate)', () => {
    for (const [vendor, l] of VENDORS) {
      for (const n of NODES) {
        const lab = l.nodes[n.id];
        const inner = n.box.w - 2 * BOX_PAD;
        const title = textWidth(lab.title, { size: TITLE_SIZE, bold: true, mono: lab.titleMono });
        const details = lab.detail.map((d) => textWidth(d, { size: DETAIL_SIZE, mono: lab.mono }));
        if (n.box.h < 30) {
          expect(lab.detail.length, `${vendor} ${n.id}`).toBeLessThanOrEqual(1);
          const sep = details.length > 0 ? textWidth(' — ', { size: TITLE_SIZE, bold: true }) : 0;
          expect(title + sep + (details[0] ?? 0), `${vendor} ${n.id}`).toBeLessThanOrEqual(inner);
        } else {
          expect(title, `${vendor} ${n.id} title`).toBeLessThanOrEqual(inner);
          for (const [i, w] of details.entries())
            expect(w, `${vendor} ${n.id}: ${lab.detail[i]}`).toBeLessThanOrEqual(inner);
          expect(12 + 10.5 * lab.detail.length, `${vendor} ${n.id} height`).toBeLessThanOrEqual(
            n.box.h - 6,
          );
        }
      }
    }
  });
});

describe('fitText', () => {
  const mono = { size: 10, mono: true };
  it('keeps text that fits and cuts text that does not, with an ellipsis', () => {
    expect(fitText('vcpu_run', 100, mono)).toBe('vcpu_run');
    const cut = fitText('____kvm_emulate_hypercall (cpl != 0)', 120, mono);
    expect(cut.endsWith('…')).toBe(true);
    expect(textWidth(cut, mono)).toBeLessThanOrEqual(120);
    expect(cut.startsWith('____kvm_emulate')).toBe(true);
  });
});
