/**
 * Binary searches over the valid prefix of a sorted typed array. Timeline lanes
 * keep their arrays with spare capacity, so every search takes the valid length
 * `n` instead of trusting `array.length`.
 */

/** A numeric array that is sorted (nondecreasing) on [0, n). */
export type SortedArray = ArrayLike<number>;

/** First index k in [0, n) with `a[k] >= value`, or `n` when none (C++ `lower_bound`). */
export function lowerBound(a: SortedArray, n: number, value: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index k in [0, n) with `a[k] > value`, or `n` when none (C++ `upper_bound`). */
export function upperBound(a: SortedArray, n: number, value: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
