/**
 * The flow diagram pane (DESIGN.md §4). The integrator needs only the
 * component and its props; the pure modules (graph.ts layout, phaseNodes.ts
 * phase → box map, route.ts token routes, labels.ts and phases.ts words)
 * are exported for tests and reuse.
 */
export { FlowDiagram, type FlowDiagramProps } from './FlowDiagram';
export { PHASE_NODE, nodeForPhase, FLOW_PHASES, type FlowPhase } from './phaseNodes';
export type { FlowNodeId, ZoneId } from './graph';
