/**
 * The flow diagram's geometry: four zones, the nodes inside them and the
 * arrows between nodes, in SVG viewBox units. Pure data, no React, so the
 * layout can be unit-tested (every arrow starts and ends on its nodes' borders
 * and crosses no other node).
 *
 * Reading order: the exit goes DOWN the left column (guest → VM exit → exit
 * dispatch → [interception] → handler) and the return goes UP the right
 * column (run loop → VM entry → guest). The userspace VMM is a column on the
 * right, beside KVM; its exits leave the handler to the right and come back
 * into the run loop with KVM_RUN.
 *
 * ```
 *  ┌ guest ───────────────────────────────┐ ┌ status ┐
 *  │ [guest code ........................] │ │        │
 *  ├ CPU ─────────────────────────────────┤ │        │
 *  │ [VM exit]      (VMCS)      [VM entry] │ └────────┘
 *  ├ KVM ─────────────────────────────────┤ ┌ VMM ───┐
 *  │ [exit dispatch]             [run loop]│ │[set-up]│
 *  │ [interception]              [halt]    │ │[devices│
 *  │ [handler]  ───────────────────────────┼─│[switch]│
 *  └──────────────────────────────────────┘ └────────┘
 * ```
 * Labels and tooltips are vendor-specific and live in labels.ts.
 */

/** A point in viewBox units. */
export type Point = readonly [number, number];

/** An axis-aligned rectangle in viewBox units (x, y = top-left corner). */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/** Where code runs: the guest, the CPU's VMX/SVM transition, KVM in the host kernel, the userspace VMM. */
export type ZoneId = 'guest' | 'hardware' | 'kernel' | 'userspace';

/** Every box of the diagram. */
export type FlowNodeId =
  | 'guest'
  | 'vm-exit'
  | 'vm-control'
  | 'vm-entry'
  | 'exit-dispatch'
  | 'intercept'
  | 'handler'
  | 'run-loop'
  | 'halt'
  | 'vmm-setup'
  | 'devices'
  | 'vmm-switch';

export interface FlowNode {
  readonly id: FlowNodeId;
  readonly zone: ZoneId;
  readonly box: Rect;
  /**
   * Drawn for context only (the VMCS/VMCB): no phase maps to it and no
   * arrow of the token graph touches it.
   */
  readonly decor?: boolean;
}

/** One arrow of the token graph: the token travels `points` from `from` to `to`. */
export interface FlowEdge {
  /** `${from}>${to}`; labels.ts keys the arrow's words by it. */
  readonly id: string;
  readonly from: FlowNodeId;
  readonly to: FlowNodeId;
  /** Polyline, first point on `from`'s border, last on `to`'s; segments are horizontal or vertical. */
  readonly points: readonly Point[];
  /** Where the arrow's short label is drawn (its text is in labels.ts), if it has one. */
  readonly labelAt?: Point;
  readonly labelAnchor?: 'start' | 'middle' | 'end';
  /** Only the interception model takes this arrow (not upstream KVM): drawn dashed. */
  readonly model?: boolean;
}

/** The SVG viewBox: `0 0 VIEW_W VIEW_H`. */
export const VIEW_W = 640;
export const VIEW_H = 356;

/** The zone rectangles (the VMM column sits beside KVM, under the status box). */
export const ZONE_BOX: Readonly<Record<ZoneId, Rect>> = {
  guest: { x: 4, y: 4, w: 452, h: 48 },
  hardware: { x: 4, y: 58, w: 452, h: 56 },
  kernel: { x: 4, y: 120, w: 452, h: 232 },
  userspace: { x: 464, y: 120, w: 172, h: 232 },
};

/** The status box (top right): the active phase at a glance, inside the SVG. */
export const STATUS_BOX: Rect = { x: 464, y: 4, w: 172, h: 110 };

const node = (id: FlowNodeId, zone: ZoneId, x: number, y: number, w: number, h: number) =>
  ({ id, zone, box: { x, y, w, h } }) satisfies FlowNode;

/** All nodes, in drawing order. */
export const NODES: readonly FlowNode[] = [
  node('guest', 'guest', 24, 22, 420, 26),
  node('vm-exit', 'hardware', 24, 76, 176, 32),
  { ...node('vm-control', 'hardware', 212, 80, 48, 24), decor: true },
  node('vm-entry', 'hardware', 272, 76, 148, 32),
  node('exit-dispatch', 'kernel', 24, 140, 176, 34),
  node('intercept', 'kernel', 24, 202, 148, 34),
  node('handler', 'kernel', 24, 264, 176, 40),
  node('run-loop', 'kernel', 272, 140, 148, 34),
  node('halt', 'kernel', 272, 202, 148, 34),
  node('vmm-setup', 'userspace', 476, 140, 148, 34),
  node('devices', 'userspace', 476, 196, 148, 48),
  node('vmm-switch', 'userspace', 476, 264, 148, 40),
];

/** Nodes by id. */
export const NODE: Readonly<Record<FlowNodeId, FlowNode>> = Object.fromEntries(
  NODES.map((n) => [n.id, n]),
) as Record<FlowNodeId, FlowNode>;

const edge = (
  from: FlowNodeId,
  to: FlowNodeId,
  points: Point[],
  extra: Partial<Pick<FlowEdge, 'labelAt' | 'labelAnchor' | 'model'>> = {},
): FlowEdge => ({ id: `${from}>${to}`, from, to, points, ...extra });

/**
 * The arrows the token can travel, along the chain of DESIGN.md §2:
 * guest → vm-exit → dispatch → (intercept) → handle → (userspace → back to
 * KVM) → resume → guest, plus HLT sleep/wake, device interrupts and the
 * VMM's first KVM_RUN.
 */
export const EDGES: readonly FlowEdge[] = [
  edge('guest', 'vm-exit', [
    [112, 48],
    [112, 76],
  ]),
  edge('vm-exit', 'exit-dispatch', [
    [112, 108],
    [112, 140],
  ]),
  // The usual path: the table entry runs directly (drawn at the right of the interception box).
  edge(
    'exit-dispatch',
    'handler',
    [
      [186, 174],
      [186, 264],
    ],
    { labelAt: [190, 250], labelAnchor: 'start' },
  ),
  edge(
    'exit-dispatch',
    'intercept',
    [
      [98, 174],
      [98, 202],
    ],
    { model: true },
  ),
  edge(
    'intercept',
    'handler',
    [
      [98, 236],
      [98, 264],
    ],
    { model: true },
  ),
  edge(
    'intercept',
    'run-loop',
    [
      [172, 214],
      [222, 214],
      [222, 150],
      [272, 150],
    ],
    { model: true, labelAt: [226, 146], labelAnchor: 'start' },
  ),
  edge(
    'intercept',
    'vmm-switch',
    [
      [24, 226],
      [14, 226],
      [14, 330],
      [550, 330],
      [550, 304],
    ],
    { model: true, labelAt: [20, 343], labelAnchor: 'start' },
  ),
  edge(
    'handler',
    'run-loop',
    [
      [200, 272],
      [244, 272],
      [244, 164],
      [272, 164],
    ],
    { labelAt: [248, 190], labelAnchor: 'start' },
  ),
  edge(
    'handler',
    'halt',
    [
      [200, 284],
      [258, 284],
      [258, 226],
      [272, 226],
    ],
    { labelAt: [262, 250], labelAnchor: 'start' },
  ),
  edge(
    'handler',
    'vmm-switch',
    [
      [200, 296],
      [476, 296],
    ],
    { labelAt: [330, 292], labelAnchor: 'middle' },
  ),
  edge('halt', 'run-loop', [
    [346, 202],
    [346, 174],
  ]),
  edge('run-loop', 'vm-entry', [
    [346, 140],
    [346, 108],
  ]),
  edge('vm-entry', 'guest', [
    [346, 76],
    [346, 48],
  ]),
  edge(
    'vmm-setup',
    'run-loop',
    [
      [476, 150],
      [420, 150],
    ],
    { labelAt: [448, 146], labelAnchor: 'middle' },
  ),
  edge(
    'vmm-switch',
    'run-loop',
    [
      [476, 272],
      [446, 272],
      [446, 166],
      [420, 166],
    ],
    { labelAt: [442, 262], labelAnchor: 'end' },
  ),
  edge(
    'devices',
    'halt',
    [
      [476, 220],
      [420, 220],
    ],
    { labelAt: [460, 216], labelAnchor: 'middle' },
  ),
];

/** Context lines that are not token paths (VMCS/VMCB ↔ transitions, VMM ↔ its devices). */
export const DECOR_LINES: readonly (readonly Point[])[] = [
  [
    [200, 92],
    [212, 92],
  ],
  [
    [260, 92],
    [272, 92],
  ],
  [
    [550, 244],
    [550, 264],
  ],
];
