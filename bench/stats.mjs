// The statistics of `cargo xtask bench`: medians, and a percentile bootstrap
// interval for the median of paired ratios. Deterministic (a seeded
// generator), so the same measurements always print the same interval.

/** The median of `values` (the mean of the middle two for an even count). */
export function median(values) {
  if (values.length === 0) throw new RangeError("the median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** A small seeded generator (mulberry32): uniform in [0, 1). */
function generator(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The median of `values` with its `level` (default 90%) percentile-bootstrap
 * confidence interval: `resamples` times, draw as many values as there are
 * with replacement and take their median; the interval is the
 * (1 − level)/2 and (1 + level)/2 quantiles of those medians. Over pairs
 * measured back to back, it says how far the median ratio could move if the
 * run were repeated.
 */
export function medianInterval(values, { level = 0.9, resamples = 4000, seed = 1 } = {}) {
  if (values.length === 0) throw new RangeError("an interval of no values");
  const random = generator(seed);
  const medians = new Float64Array(resamples);
  const sample = new Array(values.length);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < values.length; i++) sample[i] = values[Math.floor(random() * values.length)];
    medians[r] = median(sample);
  }
  medians.sort();
  const at = (q) => medians[Math.min(resamples - 1, Math.max(0, Math.floor(q * resamples)))];
  return { median: median(values), low: at((1 - level) / 2), high: at((1 + level) / 2), level, count: values.length };
}

/** `0.97× [0.93, 1.01]`: a ratio with its interval. */
export function formatInterval({ median: middle, low, high }) {
  return `${middle.toFixed(2)}x [${low.toFixed(2)}, ${high.toFixed(2)}]`;
}
