import { useId, useRef, type CSSProperties } from 'react';
import type { ActivePhase } from './activePhase';
import { FlowNodeBox, type NodeState } from './FlowNodeBox';
import { FlowStatus } from './FlowStatus';
import {
  DECOR_LINES,
  EDGES,
  NODES,
  VIEW_H,
  VIEW_W,
  ZONE_BOX,
  type FlowEdge,
  type FlowNodeId,
  type Point,
  type ZoneId,
} from './graph';
import { labelsFor, type Vendor } from './labels';
import type { TokenRoute } from './route';
import { useTokenAnimation } from './useTokenAnimation';

/** Props of {@link FlowSvg}. */
export interface FlowSvgProps {
  vendor: Vendor;
  active: ActivePhase | null;
  /** The token's travel for this phase, or null when it does not travel. */
  route: TokenRoute | null;
  durationMs: number;
  /** No travelling token (prefers-reduced-motion): only the highlights change. */
  reducedMotion: boolean;
  /** The SVG's accessible name. */
  ariaLabel: string;
}

const ZONES: readonly ZoneId[] = ['guest', 'hardware', 'kernel', 'userspace'];

const pointsAttr = (pts: readonly Point[]): string => pts.map(([x, y]) => `${x},${y}`).join(' ');

function nodeState(
  id: FlowNodeId,
  active: ActivePhase | null,
  route: TokenRoute | null,
): NodeState {
  if (active?.node === id) return 'active';
  if (route?.passes.includes(id)) return 'passed';
  if (route && route.edges[0]?.[route.backwards ? 'to' : 'from'] === id) return 'from';
  return 'idle';
}

/**
 * The diagram itself: zones, arrows, boxes, the status box and the token.
 * React renders every element; only the token's position is written by
 * useTokenAnimation. Scales with its container through the viewBox.
 */
export function FlowSvg({
  vendor,
  active,
  route,
  durationMs,
  reducedMotion,
  ariaLabel,
}: FlowSvgProps) {
  const labels = labelsFor(vendor);
  const uid = `flow${useId().replace(/[^A-Za-z0-9_-]/g, '')}`;
  const tokenRef = useRef<SVGCircleElement>(null);
  const showToken = route !== null && !reducedMotion;
  useTokenAnimation(tokenRef, showToken ? route.points : null, durationMs, active?.index ?? -1);
  const onRoute = new Set(route?.edges.map((e) => e.id));
  const marker = (e: FlowEdge): string =>
    `url(#${uid}-${onRoute.has(e.id) ? 'arrow-on' : e.model ? 'arrow-model' : 'arrow'})`;
  const start = route?.points[0];
  const end = route?.points[route.points.length - 1];
  const tokenAt = durationMs > 0 ? start : end;

  return (
    <svg
      className="flow-svg"
      viewBox={`0 0 ${VIEW_W} ${VIEW_H}`}
      preserveAspectRatio="xMidYMid meet"
      role="img"
      aria-label={ariaLabel}
      style={
        {
          '--flow-duration': `${Number.isFinite(durationMs) ? Math.max(0, durationMs) : 0}ms`,
        } as CSSProperties
      }
    >
      <defs>
        {(['arrow', 'arrow-model', 'arrow-on'] as const).map((m) => (
          <marker
            key={m}
            id={`${uid}-${m}`}
            viewBox="0 0 10 10"
            refX={9}
            refY={5}
            markerWidth={6}
            markerHeight={6}
            orient="auto-start-reverse"
          >
            <path className={`flow-arrowhead flow-${m}`} d="M0,0 L10,5 L0,10 z" />
          </marker>
        ))}
      </defs>
      {ZONES.map((z) => {
        const b = ZONE_BOX[z];
        return (
          <g key={z} className={`flow-zone flow-zone-${z}`}>
            <rect x={b.x} y={b.y} width={b.w} height={b.h} rx={8} />
            <text className="flow-zone-label" x={b.x + 8} y={b.y + 13}>
              {labels.zones[z]}
            </text>
          </g>
        );
      })}
      <FlowStatus active={active} />
      {DECOR_LINES.map((pts, i) => (
        <polyline key={i} className="flow-decor-line" points={pointsAttr(pts)} />
      ))}
      {EDGES.map((e) => {
        const words = labels.edges[e.id];
        const cls = ['flow-edge', e.model ? 'is-model' : '', onRoute.has(e.id) ? 'is-on' : '']
          .filter(Boolean)
          .join(' ');
        return (
          <g key={e.id} className={cls}>
            <title>{words?.tooltip ?? ''}</title>
            <polyline points={pointsAttr(e.points)} markerEnd={marker(e)} />
            {e.labelAt && words?.text && (
              <text
                className="flow-edge-label"
                x={e.labelAt[0]}
                y={e.labelAt[1]}
                textAnchor={e.labelAnchor ?? 'start'}
              >
                {words.text}
              </text>
            )}
          </g>
        );
      })}
      {NODES.map((n) => (
        <FlowNodeBox
          key={n.id}
          node={n}
          label={labels.nodes[n.id]}
          state={nodeState(n.id, active, route)}
          detailOverride={active?.node === n.id ? active.nodeDetail : null}
          pulseKey={active?.index}
        />
      ))}
      {showToken && tokenAt && (
        <circle
          ref={tokenRef}
          className="flow-token"
          cx={tokenAt[0]}
          cy={tokenAt[1]}
          r={5.5}
          aria-hidden="true"
        />
      )}
    </svg>
  );
}
