import type { FlowNode } from './graph';
import type { NodeLabel } from './labels';
import { BOX_PAD, DETAIL_SIZE, TITLE_SIZE, fitText, textWidth } from './textFit';

/** How a box takes part in the current step. */
export type NodeState = 'active' | 'passed' | 'from' | 'idle';

/** Props of {@link FlowNodeBox}. */
export interface FlowNodeBoxProps {
  node: FlowNode;
  label: NodeLabel;
  state: NodeState;
  /** Replaces the first detail line while active (the handler the table named, …). */
  detailOverride?: string | null;
  /** Changes on every new phase: remounts the highlight ring so its pulse restarts. */
  pulseKey?: number;
}

const TITLE_LINE = 12;
const DETAIL_LINE = 10.5;

/**
 * One box of the diagram: a rounded rectangle in its zone's colour, a bold
 * title and smaller detail lines, vertically centred, and a `<title>` for
 * hover. Boxes under 30 units tall put title and detail on one line.
 * Text is cut with "…" if it would overflow (labels are tested to fit).
 */
export function FlowNodeBox({ node, label, state, detailOverride, pulseKey }: FlowNodeBoxProps) {
  const { x, y, w, h } = node.box;
  const inner = w - 2 * BOX_PAD;
  const detail =
    state === 'active' && detailOverride
      ? [detailOverride, ...label.detail.slice(1)]
      : label.detail;
  const titleStyle = { size: TITLE_SIZE, bold: true, mono: label.titleMono };
  const detailStyle = { size: DETAIL_SIZE, mono: label.mono };
  const cls = [
    'flow-node',
    `flow-zone-${node.zone}`,
    node.decor ? 'is-decor' : '',
    state === 'idle' ? '' : `is-${state}`,
  ]
    .filter(Boolean)
    .join(' ');
  const inline = h < 30;
  const total = TITLE_LINE + DETAIL_LINE * detail.length;
  const top = y + (h - total) / 2;
  return (
    <g className={cls}>
      <title>{label.tooltip}</title>
      <rect className="flow-node-box" x={x} y={y} width={w} height={h} rx={5} />
      {state === 'active' && (
        <rect
          key={pulseKey}
          className="flow-node-ring"
          x={x - 3}
          y={y - 3}
          width={w + 6}
          height={h + 6}
          rx={7}
        />
      )}
      {inline ? (
        <text className="flow-node-text" x={x + w / 2} y={y + h / 2 + 3.5} textAnchor="middle">
          <tspan className={`flow-node-title${label.titleMono ? ' is-mono' : ''}`}>
            {label.title}
          </tspan>
          {detail[0] && (
            <tspan className={`flow-node-detail${label.mono ? ' is-mono' : ''}`}>
              {` — ${fitText(detail[0], inner - textWidth(`${label.title} — `, titleStyle), detailStyle)}`}
            </tspan>
          )}
        </text>
      ) : (
        <text className="flow-node-text" textAnchor="middle">
          <tspan
            className={`flow-node-title${label.titleMono ? ' is-mono' : ''}`}
            x={x + w / 2}
            y={top + 9.5}
          >
            {fitText(label.title, inner, titleStyle)}
          </tspan>
          {detail.map((line, i) => (
            <tspan
              key={i}
              className={`flow-node-detail${label.mono ? ' is-mono' : ''}`}
              x={x + w / 2}
              y={top + TITLE_LINE + DETAIL_LINE * i + 8}
            >
              {fitText(line, inner, detailStyle)}
            </tspan>
          ))}
        </text>
      )}
    </g>
  );
}
