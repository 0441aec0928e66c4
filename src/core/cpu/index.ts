/**
 * The vCPU's public surface: state, memory, the Vcpu that executes guest
 * code, and the exit requests it raises for the hypervisor.
 */
export * from './state';
export * from './memory';
export type { ExitRequest } from './exits';
export { Vcpu, type Vendor, type StopReason } from './vcpu';
export { getRflags, setRflags } from './flags';
export { runFlatImage, type RunImageOptions, type RunImageResult } from './runImage';
