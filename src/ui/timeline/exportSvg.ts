/**
 * The whole timeline as a standalone SVG document (Export → Timeline SVG;
 * PNG is this SVG rasterised): one lane per vCPU and one for the VMM, each
 * pixel column coloured by its most frequent exit reason (the on-screen
 * aggregation rule), adjacent equal columns merged into one rect so a
 * million exits stay a small file; an axis in cycles and a legend. Pure
 * string building: no DOM, testable in Node. Text is XML-escaped.
 */
import { scaleLinear } from 'd3';
import type { TimelineData } from '../../core';
import { reasonColor } from './colors';

export interface SvgOptions {
  /** Width of the plot area in px (columns). */
  width?: number;
  laneHeight?: number;
  /** Colours per reason name (default: the timeline's palette). */
  color?: (reason: string) => string;
  background?: string;
  foreground?: string;
  title?: string;
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function timelineSvg(data: TimelineData, o: SvgOptions = {}): string {
  const width = o.width ?? 1200;
  const laneH = o.laneHeight ?? 28;
  const color = o.color ?? reasonColor;
  const bg = o.background ?? '#1e2127';
  const fg = o.foreground ?? '#d7dae0';
  const labelW = 70;
  const lanes = Math.max(1, data.vcpus) + 1;
  const R = Math.max(1, data.reasons.length);
  let tEnd = 1;
  for (let i = 0; i < data.count; i++) tEnd = Math.max(tEnd, data.end[i], data.time[i]);
  const x = scaleLinear().domain([0, tEnd]).range([0, width]);
  const counts = Array.from({ length: lanes }, () => new Uint32Array(width * R));
  const add = (lane: number, i: number): void => {
    const c0 = Math.max(0, Math.min(width - 1, Math.floor(x(data.time[i]))));
    const c1 = Math.max(c0, Math.min(width - 1, Math.ceil(x(data.end[i])) - 1));
    for (let c = c0; c <= c1; c++) counts[lane][c * R + data.reason[i]]++;
  };
  for (let i = 0; i < data.count; i++) {
    add(Math.min(data.vcpu[i], lanes - 2), i);
    if (data.handled[i] === 1) add(lanes - 1, i);
  }
  const rects: string[] = [];
  for (let l = 0; l < lanes; l++) {
    const y = 30 + l * (laneH + 6);
    let runStart = -1;
    let runReason = -1;
    const flush = (end: number): void => {
      if (runReason >= 0) {
        rects.push(
          `<rect x="${labelW + runStart}" y="${y}" width="${end - runStart}" height="${laneH}" fill="${esc(color(data.reasons[runReason] ?? ''))}"/>`,
        );
      }
    };
    for (let c = 0; c < width; c++) {
      let best = -1;
      let bestN = 0;
      for (let r = 0; r < R; r++) {
        const n = counts[l][c * R + r];
        if (n > bestN) {
          bestN = n;
          best = r;
        }
      }
      if (best !== runReason) {
        flush(c);
        runStart = c;
        runReason = best;
      }
    }
    flush(width);
  }
  const laneLabels = Array.from({ length: lanes }, (_, l) => {
    const y = 30 + l * (laneH + 6) + laneH / 2 + 4;
    const name = l === lanes - 1 ? 'VMM' : `vCPU ${l}`;
    return `<text x="8" y="${y}" fill="${fg}">${name}</text>`;
  });
  const axisY = 30 + lanes * (laneH + 6) + 4;
  const ticks = x.ticks(10).map((t) => {
    const px = labelW + x(t);
    return `<line x1="${px}" x2="${px}" y1="${axisY}" y2="${axisY + 5}" stroke="${fg}"/><text x="${px}" y="${axisY + 18}" fill="${fg}" text-anchor="middle">${esc(x.tickFormat(10, '~s')(t))}</text>`;
  });
  const legendY = axisY + 44;
  const legend = data.reasons.map((r, i) => {
    const lx = labelW + (i % 6) * 190;
    const ly = legendY + Math.floor(i / 6) * 20;
    return `<rect x="${lx}" y="${ly - 10}" width="12" height="12" fill="${esc(color(r))}"/><text x="${lx + 18}" y="${ly}" fill="${fg}">${esc(r)}</text>`;
  });
  const height = legendY + Math.ceil(Math.max(1, data.reasons.length) / 6) * 20 + 10;
  const totalW = labelW + width + 20;
  const title = esc(o.title ?? `Hypercall Lab: ${data.count} VM exits`);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${totalW}" height="${height}" viewBox="0 0 ${totalW} ${height}" font-family="sans-serif" font-size="12">`,
    `<title>${title}</title>`,
    `<rect width="100%" height="100%" fill="${bg}"/>`,
    `<text x="8" y="18" fill="${fg}" font-weight="bold">${title}</text>`,
    ...laneLabels,
    ...rects,
    `<line x1="${labelW}" x2="${labelW + width}" y1="${axisY}" y2="${axisY}" stroke="${fg}"/>`,
    ...ticks,
    `<text x="${labelW + width}" y="${axisY + 34}" fill="${fg}" text-anchor="end">simulated time (cycles)</text>`,
    ...legend,
    '</svg>',
  ].join('\n');
}
