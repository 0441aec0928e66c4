import { useMemo, type JSX } from 'react';
import type { MachineView } from '../../core';
import { CallChain } from './CallChain';
import { diffFlags, diffMemory, diffRegisters, diffSelected, diffStack, findVcpu } from './diff';
import { DisasmTable } from './DisasmTable';
import { ExitPanel } from './ExitPanel';
import { FlagBadges } from './FlagBadges';
import { MemoryPanel } from './MemoryPanel';
import { NamedTable } from './NamedTable';
import { RegisterGrid } from './RegisterGrid';
import { Section } from './Section';
import { StackTable } from './StackTable';
import { useStableCallback } from './useStableCallback';
import { VcpuBar } from './VcpuBar';
import './debugger.css';

/** Props of {@link DebuggerPane}. */
export interface DebuggerPaneProps {
  /** The machine now; null before a program is loaded (the pane shows a hint). */
  view: MachineView | null;
  /** The view before the last command: what differs from it is highlighted, old value on hover. */
  previous: MachineView | null;
  /** The user picked another vCPU in the selector. */
  onSelectVcpu(index: number): void;
  /** The memory view asks the worker for another window (a guest address, or follow RIP/RSP). */
  onMemoryGoto(target: number | 'rip' | 'rsp'): void;
}

/**
 * The debugger pane: vCPU selector, registers and RFLAGS, the last VM exit
 * with its VMCS/VMCB fields, kvm_run, memory, stack, disassembly and the host
 * call chain, each a collapsible region with a heading.
 *
 * Contract: `view` and `previous` are treated as immutable values compared by
 * content (never by identity), so the caller may pass fresh structured clones
 * on every step. The callbacks may change identity on every render; the pane
 * keeps stable wrappers so its memoised parts do not re-render for that.
 * Pass `previous = null` after loading a new program (nothing is "changed").
 */
export function DebuggerPane({
  view,
  previous,
  onSelectVcpu,
  onMemoryGoto,
}: DebuggerPaneProps): JSX.Element {
  const selectVcpu = useStableCallback(onSelectVcpu);
  const memoryGoto = useStableCallback(onMemoryGoto);
  if (!view) {
    return (
      <div className="dbg">
        <p className="dbg-hint">
          Load a program to inspect it: registers, the last VM exit, memory and the host call chain
          appear here.
        </p>
      </div>
    );
  }
  return (
    <MachineDebugger
      view={view}
      previous={previous}
      onSelectVcpu={selectVcpu}
      onMemoryGoto={memoryGoto}
    />
  );
}

type MachineDebuggerProps = DebuggerPaneProps & { view: MachineView };

/** The pane for a loaded machine; diffs are computed once per (view, previous) pair. */
function MachineDebugger({ view, previous, onSelectVcpu, onMemoryGoto }: MachineDebuggerProps) {
  const vcpu = findVcpu(view, view.selected);
  const changes = useMemo(
    () => ({
      regs: diffRegisters(view, previous),
      flags: diffFlags(vcpu?.flags ?? [], findVcpu(previous, view.selected)?.flags),
      fields: diffSelected(view, previous, (v) => v.exit?.fields),
      kvmRun: diffSelected(view, previous, (v) => v.kvmRun),
      memory: diffMemory(view.memory, previous?.memory),
      stack: diffStack(view.stack, previous?.stack),
    }),
    [view, previous, vcpu],
  );

  return (
    <div className="dbg">
      <Section title="vCPU" className="dbg-s-vcpu">
        <VcpuBar vcpus={view.vcpus} selected={view.selected} onSelect={onSelectVcpu} />
      </Section>
      <Section title="Registers" className="dbg-s-regs">
        {vcpu ? (
          <>
            <RegisterGrid regs={vcpu.regs} changes={changes.regs} />
            <FlagBadges flags={vcpu.flags} changes={changes.flags} />
          </>
        ) : (
          <p className="dbg-empty">No vCPU {view.selected}.</p>
        )}
      </Section>
      <Section title="Last VM exit" className="dbg-s-exit">
        <ExitPanel exit={view.exit} vcpu={view.selected} fieldChanges={changes.fields} />
      </Section>
      <Section title="kvm_run" className="dbg-s-kvmrun">
        {view.kvmRun.length > 0 ? (
          <NamedTable caption="struct kvm_run" rows={view.kvmRun} changes={changes.kvmRun} />
        ) : (
          <p className="dbg-empty">kvm_run is empty.</p>
        )}
      </Section>
      <Section title="Memory" className="dbg-s-memory">
        <MemoryPanel memory={view.memory} changes={changes.memory} onGoto={onMemoryGoto} />
      </Section>
      <Section title="Stack" className="dbg-s-stack">
        <StackTable stack={view.stack} changes={changes.stack} />
      </Section>
      <Section title="Disassembly" className="dbg-s-disasm">
        <DisasmTable lines={view.disasm} />
      </Section>
      <Section title="Host call chain" className="dbg-s-chain">
        <CallChain phase={view.phase} />
      </Section>
    </div>
  );
}
