/**
 * The one public surface of the core (STYLE.md §1): the UI, the Worker and
 * the CLI import the machine model from here only.
 */
export * from './isa';
export { MNEMONICS, OPCODE_TABLE, type OpcodeRow } from './isa/opcodeTable';
export { REGISTERS } from './isa/registers';
export * from './cpu';
export type * from './session/viewTypes';
export { HYPERCALLS, type HypercallEntry } from './kvm/hypercalls';
export { KVM_HC, hypercallName } from './kvm/constants';
export { Session, addressesOfLine, type StopInfo, type StopKind } from './session/session';
export { buildView, lineMap, MEMORY_WINDOW, type LineMap, type ViewRequest } from './session/view';
export { allocTimeline, TimelineFeed, type TimelineUpdate } from './session/timelineFeed';
export { timelineStats } from './session/timelineStats';
export type { PolicyRule, PolicyAction } from './kvm/policy';
export {
  exportChromeTrace,
  chromeTraceJson,
  type ChromeTrace,
  type ChromeTraceEvent,
  type ChromeTraceInput,
} from './trace/chromeTrace';
export { statsToCsv } from './trace/csv';
export {
  importHostTrace,
  detectHostTraceFormat,
  type HostTraceImport,
  type ReasonSummary,
  type ImportedTimeline,
} from './trace/import';
export { HOST_FUNCTIONS } from './kvm/hostFunctions';
export { kvmExitName } from './kvm/constants';
export { chromeTraceOf } from './vmm/exportTrace';
export { PHASES, type PhaseName } from './trace/trace';
