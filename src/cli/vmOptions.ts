/**
 * `cli run --vm '<json>'`: the VMM options beyond vendor and vCPU count, as
 * the page's lessons set them (src/worker/protocol.ts VmSettings), e.g.
 * `{"irqchip": true, "exitHypercallMask": 4096, "fixHypercallQuirk": false,
 * "policy": [{"nr": 11, "action": {"kind": "deny", "errno": 1}}]}`.
 * Validated field by field; an error is one sentence naming the field.
 */
import type { PolicyAction, PolicyRule } from '../core/kvm/policy';

export interface CliVmOptions {
  irqchip?: boolean;
  exitHypercallMask?: number;
  fixHypercallQuirk?: boolean;
  policy?: PolicyRule[];
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function action(v: unknown, at: string): PolicyAction | string {
  if (!isObj(v)) return `${at}.action must be an object`;
  switch (v.kind) {
    case 'log':
    case 'forward':
      return { kind: v.kind };
    case 'deny':
      return Number.isInteger(v.errno)
        ? { kind: 'deny', errno: v.errno as number }
        : `${at}.action.errno must be an integer`;
    case 'redirect':
      return Number.isInteger(v.nr)
        ? { kind: 'redirect', nr: v.nr as number }
        : `${at}.action.nr must be an integer`;
    case 'rewrite': {
      if (!isObj(v.args)) return `${at}.action.args must be an object`;
      const args: Partial<Record<0 | 1 | 2 | 3, bigint>> = {};
      for (const [k, x] of Object.entries(v.args)) {
        if (!['0', '1', '2', '3'].includes(k)) return `${at}.action.args has no argument ${k}`;
        if (typeof x !== 'number' && typeof x !== 'string')
          return `${at}.action.args[${k}] must be a number or a string`;
        try {
          args[Number(k) as 0 | 1 | 2 | 3] = BigInt(x);
        } catch {
          return `${at}.action.args[${k}] is not an integer`;
        }
      }
      return { kind: 'rewrite', args };
    }
    default:
      return `${at}.action.kind must be log, deny, redirect, rewrite or forward`;
  }
}

/** Parse and check the `--vm` JSON. */
export function parseVmOptions(text: string): CliVmOptions | string {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return '--vm takes a JSON object';
  }
  if (!isObj(v)) return '--vm takes a JSON object';
  const out: CliVmOptions = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === 'irqchip' || k === 'fixHypercallQuirk') {
      if (typeof x !== 'boolean') return `--vm: ${k} must be true or false`;
      out[k] = x;
    } else if (k === 'exitHypercallMask') {
      if (!Number.isInteger(x) || (x as number) < 0) return `--vm: ${k} must be a whole number`;
      out.exitHypercallMask = x as number;
    } else if (k === 'policy') {
      if (!Array.isArray(x)) return '--vm: policy must be a list of rules';
      const rules: PolicyRule[] = [];
      for (const [i, r] of x.entries()) {
        const at = `--vm: policy[${i}]`;
        if (!isObj(r)) return `${at} must be an object`;
        if (r.nr !== undefined && !Number.isInteger(r.nr)) return `${at}.nr must be an integer`;
        if (r.vcpu !== undefined && !Number.isInteger(r.vcpu))
          return `${at}.vcpu must be an integer`;
        const a = action(r.action, at);
        if (typeof a === 'string') return a;
        rules.push({
          nr: r.nr as number | undefined,
          vcpu: r.vcpu as number | undefined,
          action: a,
        });
      }
      out.policy = rules;
    } else return `--vm: unknown option '${k}'`;
  }
  return out;
}
