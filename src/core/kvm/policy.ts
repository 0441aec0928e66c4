/**
 * Hypercall interception: a policy layer between dispatch and the hypercall
 * handler, in the spirit of KVM Virtual Machine Introspection (kVMI). kVMI
 * was proposed for Linux but never merged, so this layer is a teaching
 * model, not upstream KVM — the UI says so. Rules are data a user writes;
 * the first rule that matches acts, and its action is its own trace phase.
 */

export type PolicyAction =
  /** Record the call and let it through unchanged. */
  | { kind: 'log' }
  /** Refuse it: RAX ← -errno (a KVM_E* value, e.g. 1 for -KVM_EPERM); the handler never runs. */
  | { kind: 'deny'; errno: number }
  /** Run another hypercall number instead. */
  | { kind: 'redirect'; nr: number }
  /** Replace some of a0–a3 before the handler runs. */
  | { kind: 'rewrite'; args: Partial<Record<0 | 1 | 2 | 3, bigint>> }
  /** Hand it to the userspace VMM as KVM_EXIT_HYPERCALL. */
  | { kind: 'forward' };

export interface PolicyRule {
  /** Hypercall number to match; undefined matches any. */
  nr?: number;
  /** vCPU to match; undefined matches any. */
  vcpu?: number;
  action: PolicyAction;
}

/** The first rule matching (nr, vcpu), if any. */
export function matchPolicy(
  rules: readonly PolicyRule[],
  nr: bigint,
  vcpu: number,
): PolicyRule | undefined {
  return rules.find(
    (r) => (r.nr === undefined || BigInt(r.nr) === nr) && (r.vcpu === undefined || r.vcpu === vcpu),
  );
}

/** A one-line description of a rule for the trace and the UI. */
export function describeRule(rule: PolicyRule): string {
  const who = `${rule.nr === undefined ? 'any hypercall' : `nr ${rule.nr}`}${rule.vcpu === undefined ? '' : ` on vCPU ${rule.vcpu}`}`;
  const a = rule.action;
  switch (a.kind) {
    case 'log':
      return `log ${who}`;
    case 'deny':
      return `deny ${who} with -${a.errno}`;
    case 'redirect':
      return `redirect ${who} to nr ${a.nr}`;
    case 'rewrite':
      return `rewrite the arguments of ${who}`;
    case 'forward':
      return `forward ${who} to userspace`;
  }
}
