import type { ExitView } from '../../core';
import type { ValueChanges } from './diff';
import { exitReasonLabel, fieldsHeading, handledInLabel } from './format';
import { NamedTable } from './NamedTable';

/** Props of {@link ExitPanel}. */
export interface ExitPanelProps {
  /** The last exit of the selected vCPU, or null before its first. */
  exit: ExitView | null;
  /** Selected vCPU index, for the "no exit yet" sentence. */
  vcpu: number;
  /** VMCS/VMCB field name → old value (diffSelected on `exit.fields`). */
  fieldChanges: ValueChanges;
}

/**
 * The last VM exit: reason with the vendor code ("VMCALL (18)"), exit number,
 * RIP, instruction length, where it was handled, the kvm_run exit and the
 * hypercall when there is one; then the VMCS (Intel) / VMCB (AMD) fields.
 */
export function ExitPanel({ exit, vcpu, fieldChanges }: ExitPanelProps) {
  if (!exit) return <p className="dbg-empty">No VM exit on vCPU {vcpu} yet.</p>;
  const hc = exit.hypercall;
  return (
    <>
      <dl className="dbg-facts dbg-exit">
        <Fact name="Reason" value={exitReasonLabel(exit)} mono />
        <Fact name="Exit #" value={String(exit.index)} />
        <Fact name="RIP" value={exit.rip} mono />
        <Fact name="Instruction length" value={`${exit.length} bytes`} />
        <Fact name="Handled" value={handledInLabel(exit.handledIn)} />
        <Fact name="kvm_run exit" value={exit.kvmExit ?? '—'} mono />
        {hc && (
          <>
            <Fact name="Hypercall" value={`${hc.name} (nr ${hc.nr})`} mono />
            <Fact name="Arguments" value={hc.args.length ? hc.args.join(', ') : '—'} mono />
            <Fact name="Return value" value={hc.ret} mono />
          </>
        )}
      </dl>
      <h4 className="dbg-subheading">{fieldsHeading(exit.structure)}</h4>
      <NamedTable
        caption={fieldsHeading(exit.structure)}
        rows={exit.fields}
        changes={fieldChanges}
      />
    </>
  );
}

function Fact({ name, value, mono }: { name: string; value: string; mono?: boolean }) {
  return (
    <div>
      <dt>{name}</dt>
      <dd className={mono ? 'dbg-mono' : undefined}>{value}</dd>
    </div>
  );
}
