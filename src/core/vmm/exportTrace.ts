/**
 * A VMM's run as Chrome Trace Event JSON (trace/chromeTrace.ts), with the
 * host-function table and the kvm_run exit and hypercall names the trace
 * layer cannot import itself. One function for the CLI (`run --trace`) and
 * the page's Worker (Export trace).
 */
import { hypercallName, kvmExitName } from '../kvm/constants';
import { HOST_FUNCTIONS } from '../kvm/hostFunctions';
import { exportChromeTrace, type ChromeTrace } from '../trace/chromeTrace';
import type { Vmm } from './vmm';

export function chromeTraceOf(vmm: Vmm): ChromeTrace {
  return exportChromeTrace({
    trace: vmm.trace,
    vendor: vmm.options.vendor,
    profile: vmm.kvm.config.profile,
    hostFunctions: HOST_FUNCTIONS,
    kvmExitName,
    hypercallName,
    vcpus: vmm.kvm.cpus.length,
  });
}
