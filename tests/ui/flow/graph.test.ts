import { describe, expect, it } from 'vitest';
import {
  DECOR_LINES,
  EDGES,
  NODE,
  NODES,
  STATUS_BOX,
  VIEW_H,
  VIEW_W,
  ZONE_BOX,
  type Point,
  type Rect,
} from '../../../src/ui/flow/graph';

const inside = (r: Rect, [x, y]: Point) => x >= r.x && x <= r.x + r.w && y >= r.y && y <= r.y + r.h;
const onBorder = (r: Rect, [x, y]: Point) =>
  inside(r, [x, y]) && (x === r.x || x === r.x + r.w || y === r.y || y === r.y + r.h);
const overlaps = (a: Rect, b: Rect) =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** Does the axis-aligned segment p→q pass through the interior of r? */
function segmentHitsInterior(r: Rect, p: Point, q: Point): boolean {
  const [x0, x1] = [Math.min(p[0], q[0]), Math.max(p[0], q[0])];
  const [y0, y1] = [Math.min(p[1], q[1]), Math.max(p[1], q[1])];
  return x1 > r.x && x0 < r.x + r.w && y1 > r.y && y0 < r.y + r.h;
}

describe('flow diagram layout', () => {
  it('keeps zones, nodes and the status box inside the viewBox', () => {
    for (const r of [...Object.values(ZONE_BOX), STATUS_BOX, ...NODES.map((n) => n.box)]) {
      expect(r.x).toBeGreaterThanOrEqual(0);
      expect(r.y).toBeGreaterThanOrEqual(0);
      expect(r.x + r.w).toBeLessThanOrEqual(VIEW_W);
      expect(r.y + r.h).toBeLessThanOrEqual(VIEW_H);
    }
  });

  it('puts every node inside its zone and below the zone label', () => {
    for (const n of NODES) {
      const z = ZONE_BOX[n.zone];
      expect(inside(z, [n.box.x, n.box.y]), n.id).toBe(true);
      expect(inside(z, [n.box.x + n.box.w, n.box.y + n.box.h]), n.id).toBe(true);
      expect(n.box.y - z.y, `${n.id} clears the zone label`).toBeGreaterThanOrEqual(17);
    }
  });

  it('does not overlap zones with each other or with the status box, nor nodes with nodes', () => {
    const zones = [...Object.values(ZONE_BOX), STATUS_BOX];
    for (let i = 0; i < zones.length; i++)
      for (let j = i + 1; j < zones.length; j++) expect(overlaps(zones[i], zones[j])).toBe(false);
    for (let i = 0; i < NODES.length; i++)
      for (let j = i + 1; j < NODES.length; j++)
        expect(overlaps(NODES[i].box, NODES[j].box), `${NODES[i].id} / ${NODES[j].id}`).toBe(false);
  });

  it('starts every arrow on its source border and ends it on its target border', () => {
    for (const e of EDGES) {
      expect(onBorder(NODE[e.from].box, e.points[0]), `${e.id} start`).toBe(true);
      expect(onBorder(NODE[e.to].box, e.points[e.points.length - 1]), `${e.id} end`).toBe(true);
      expect(e.id).toBe(`${e.from}>${e.to}`);
    }
  });

  it('draws arrows with horizontal and vertical segments only', () => {
    for (const e of [...EDGES.map((x) => x.points), ...DECOR_LINES]) {
      for (let i = 1; i < e.length; i++) {
        const [a, b] = [e[i - 1], e[i]];
        expect(a[0] === b[0] || a[1] === b[1], JSON.stringify([a, b])).toBe(true);
        expect(a[0] === b[0] && a[1] === b[1]).toBe(false);
      }
    }
  });

  it('routes no arrow through a box it does not connect', () => {
    for (const e of EDGES) {
      for (const n of NODES) {
        if (n.id === e.from || n.id === e.to) continue;
        for (let i = 1; i < e.points.length; i++) {
          expect(
            segmentHitsInterior(n.box, e.points[i - 1], e.points[i]),
            `${e.id} × ${n.id}`,
          ).toBe(false);
        }
      }
    }
  });

  it('has one arrow per node pair and never touches the decorative VMCS/VMCB box', () => {
    const ids = EDGES.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const e of EDGES) {
      expect(NODE[e.from].decor).toBeFalsy();
      expect(NODE[e.to].decor).toBeFalsy();
    }
  });

  it('marks exactly the arrows into, out of and around the interception box as model-only', () => {
    const model = EDGES.filter((e) => e.model).map((e) => e.id);
    expect(model.length).toBeGreaterThan(0);
    for (const id of model) expect(id.includes('intercept'), id).toBe(true);
    for (const e of EDGES.filter((x) => x.id.includes('intercept')))
      expect(e.model, e.id).toBe(true);
  });
});
