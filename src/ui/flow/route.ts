import { EDGES, type FlowEdge, type FlowNodeId, type Point } from './graph';

/**
 * The route the token travels between two phases' nodes, and where it is
 * at a moment of its travel. Pure functions over graph.ts.
 *
 * Rule: the token follows the arrows from the previous phase's node to the
 * new one when that takes at most MAX_HOPS arrows (every same-vCPU step of a
 * trace does: resume → guest is the longest, via VM entry). Otherwise — the
 * previous event was on another vCPU and far away, or there was none — it
 * comes in from the node's usual predecessor (ENTRY_FROM), so the student
 * still sees how one gets there. Stepping back (the new event is older)
 * runs the forward route backwards.
 */

/** The most arrows a token travels for one phase before falling back to ENTRY_FROM. */
export const MAX_HOPS = 2;

/**
 * The usual way into a node when the previous phase gives no short route:
 * the step before it in DESIGN.md §2. Nodes without an entry (the VMM
 * set-up, the devices) are where events start; the token does not travel.
 */
export const ENTRY_FROM: Readonly<Partial<Record<FlowNodeId, FlowNodeId>>> = {
  guest: 'run-loop',
  'vm-exit': 'guest',
  'exit-dispatch': 'vm-exit',
  intercept: 'exit-dispatch',
  handler: 'exit-dispatch',
  'vmm-switch': 'handler',
  'run-loop': 'handler',
  halt: 'handler',
};

/** A planned token travel. */
export interface TokenRoute {
  /** The arrows travelled, in travel order. */
  readonly edges: readonly FlowEdge[];
  /** Nodes the token crosses between arrows (neither start nor end), e.g. the VM-entry box. */
  readonly passes: readonly FlowNodeId[];
  /** The polyline the token moves along, start to end. */
  readonly points: readonly Point[];
  /** True when stepping back: the token runs the arrows against their direction. */
  readonly backwards: boolean;
}

const OUT = new Map<FlowNodeId, FlowEdge[]>();
for (const e of EDGES) OUT.set(e.from, [...(OUT.get(e.from) ?? []), e]);

/**
 * The shortest chain of arrows from `from` to `to` (breadth-first, arrows in
 * EDGES order on ties, so the result is deterministic), at most `maxHops`
 * long. `[]` when from === to; null when there is no such chain.
 */
export function findPath(
  from: FlowNodeId,
  to: FlowNodeId,
  maxHops: number = MAX_HOPS,
): FlowEdge[] | null {
  if (from === to) return [];
  const via = new Map<FlowNodeId, FlowEdge>();
  let frontier: FlowNodeId[] = [from];
  for (let hop = 0; hop < maxHops && frontier.length > 0; hop++) {
    const next: FlowNodeId[] = [];
    for (const n of frontier) {
      for (const e of OUT.get(n) ?? []) {
        if (e.to === from || via.has(e.to)) continue;
        via.set(e.to, e);
        if (e.to === to) {
          const path: FlowEdge[] = [];
          for (let cur: FlowNodeId = to; cur !== from;) {
            const step = via.get(cur) as FlowEdge;
            path.unshift(step);
            cur = step.from;
          }
          return path;
        }
        next.push(e.to);
      }
    }
    frontier = next;
  }
  return null;
}

/** The token's polyline along `edges` (joined through the nodes in between). */
export function routePoints(edges: readonly FlowEdge[]): Point[] {
  const pts: Point[] = [];
  for (const e of edges) {
    for (const p of e.points) {
      const last = pts[pts.length - 1];
      if (!last || last[0] !== p[0] || last[1] !== p[1]) pts.push(p);
    }
  }
  return pts;
}

function makeRoute(edges: readonly FlowEdge[], backwards: boolean): TokenRoute {
  const passes = edges.slice(1).map((e) => e.from);
  const points = routePoints(edges);
  return backwards
    ? { edges: [...edges].reverse(), passes: passes.reverse(), points: points.reverse(), backwards }
    : { edges, passes, points, backwards };
}

/**
 * Plan the token for a new phase at node `to`.
 * @param from the previous phase's node, or null when there is none (first event, or unknown).
 * @param backwards the new event is older than the previous one (stepping back in time).
 * @returns the route, or null when the token does not travel (same node, no route, nothing before).
 */
export function planRoute(
  from: FlowNodeId | null,
  to: FlowNodeId,
  backwards = false,
): TokenRoute | null {
  if (from === to) return null;
  if (backwards) {
    if (from === null) return null;
    const back = findPath(to, from);
    return back && back.length > 0 ? makeRoute(back, true) : null;
  }
  const direct = from === null ? null : findPath(from, to);
  if (direct && direct.length > 0) return makeRoute(direct, false);
  const entry = ENTRY_FROM[to];
  if (!entry) return null;
  const usual = findPath(entry, to, Infinity);
  return usual && usual.length > 0 ? makeRoute(usual, false) : null;
}

/** Total length of a polyline. */
export function polylineLength(points: readonly Point[]): number {
  let len = 0;
  for (let i = 1; i < points.length; i++) {
    len += Math.hypot(points[i][0] - points[i - 1][0], points[i][1] - points[i - 1][1]);
  }
  return len;
}

/**
 * The point at fraction `t` (clamped to 0…1) of the polyline's length:
 * t = 0 is the first point, t = 1 the last. An empty polyline gives [0, 0].
 */
export function pointAlong(points: readonly Point[], t: number): Point {
  if (points.length === 0) return [0, 0];
  const f = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
  let rest = polylineLength(points) * f;
  for (let i = 1; i < points.length; i++) {
    const [x0, y0] = points[i - 1];
    const [x1, y1] = points[i];
    const seg = Math.hypot(x1 - x0, y1 - y0);
    if (rest <= seg && seg > 0) {
      const k = rest / seg;
      return [x0 + (x1 - x0) * k, y0 + (y1 - y0) * k];
    }
    rest -= seg;
  }
  return points[points.length - 1];
}

/** Ease in and out (smoothstep): 0 → 0, 1 → 1, gentle at both ends. */
export function easeInOut(t: number): number {
  const f = Math.min(1, Math.max(0, t));
  return f * f * (3 - 2 * f);
}
