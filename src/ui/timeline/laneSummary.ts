/**
 * Block summaries of a lane, for aggregating zoomed-out views without
 * visiting every exit: the lane is cut into blocks of SUMMARY_BLOCK entries
 * (in lane order); for each block boundary we keep the per-reason count of
 * all entries before it (prefix histograms), and for each block the largest
 * end. Counting the reasons of any entry range is then O(width + block), and
 * a block whose largest end stays inside its first entry's pixel column can
 * be skipped when looking for exits that span several columns.
 */

/** Entries per block. */
export const SUMMARY_BLOCK = 32;
/** Largest reason width summarised; a lane with a reason index at or above it keeps no summary. */
export const MAX_SUMMARY_WIDTH = 256;

/** Summary arrays of one lane (see the module doc). */
export interface LaneSummary {
  /** Reasons per histogram row: every reason index in the lane is below it. 0 = no summary. */
  width: number;
  /** False once a reason index ≥ MAX_SUMMARY_WIDTH appeared: the lane is then never summarised. */
  enabled: boolean;
  /** Row b (b = 0 … blocks): count of each reason among entries [0, b · SUMMARY_BLOCK). */
  prefix: Uint32Array;
  /** Largest effective end in block b. */
  blockMaxEnd: Float64Array;
}

/** An empty, enabled summary. */
export function createLaneSummary(): LaneSummary {
  return { width: 0, enabled: true, prefix: new Uint32Array(0), blockMaxEnd: new Float64Array(0) };
}

/** The lane arrays a summary is computed from. */
export interface SummarySource {
  length: number;
  reasons: Uint16Array;
  ends: Float64Array;
}

/**
 * Recomputes `summary` for entries changed at or after position `from` (rows
 * before from's block stay valid). Widening the rows (a new, higher reason
 * index) recomputes everything. O(length - from + width · changed blocks).
 */
export function updateLaneSummary(summary: LaneSummary, lane: SummarySource, from: number): void {
  if (!summary.enabled) return;
  let maxReason = summary.width - 1;
  for (let i = from; i < lane.length; i++) maxReason = Math.max(maxReason, lane.reasons[i]);
  if (maxReason >= summary.width) {
    if (maxReason >= MAX_SUMMARY_WIDTH) {
      Object.assign(summary, createLaneSummary(), { enabled: false });
      return;
    }
    summary.width = Math.min(MAX_SUMMARY_WIDTH, (maxReason + 8) & ~7);
    summary.prefix = new Uint32Array(0);
    from = 0;
  }
  const width = summary.width;
  const blocks = Math.ceil(lane.length / SUMMARY_BLOCK);
  if (summary.prefix.length < (blocks + 1) * width) {
    const grown = new Uint32Array(Math.max((blocks + 1) * width, summary.prefix.length * 2));
    grown.set(summary.prefix);
    summary.prefix = grown;
  }
  if (summary.blockMaxEnd.length < blocks) {
    const grown = new Float64Array(Math.max(blocks, summary.blockMaxEnd.length * 2));
    grown.set(summary.blockMaxEnd);
    summary.blockMaxEnd = grown;
  }
  const { prefix, blockMaxEnd } = summary;
  const firstBlock = Math.floor(from / SUMMARY_BLOCK);
  if (firstBlock === 0) prefix.fill(0, 0, width);
  for (let b = firstBlock; b < blocks; b++) {
    const row = (b + 1) * width;
    prefix.copyWithin(row, b * width, row);
    let maxEnd = -Infinity;
    const end = Math.min(lane.length, (b + 1) * SUMMARY_BLOCK);
    for (let i = b * SUMMARY_BLOCK; i < end; i++) {
      prefix[row + lane.reasons[i]]++;
      if (lane.ends[i] > maxEnd) maxEnd = lane.ends[i];
    }
    blockMaxEnd[b] = maxEnd;
  }
}
