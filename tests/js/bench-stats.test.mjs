// The benchmark's statistics (bench/stats.mjs): the median and its bootstrap
// interval, on samples whose answer is known.
import { test } from "node:test";
import assert from "node:assert/strict";
import { median, medianInterval, formatInterval } from "../../bench/stats.mjs";

test("the median of odd and even counts, unsorted", () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.throws(() => median([]), RangeError);
});

test("a sample of one value has a zero-width interval", () => {
  const interval = medianInterval([0.97, 0.97, 0.97, 0.97, 0.97]);
  assert.deepEqual([interval.low, interval.median, interval.high], [0.97, 0.97, 0.97]);
});

test("the interval holds the median and lies within the sample", () => {
  const values = [0.91, 1.02, 0.97, 0.99, 0.95, 1.05, 0.93, 0.98, 1.0, 0.96, 0.94];
  const { low, median: middle, high } = medianInterval(values);
  assert.ok(Math.min(...values) <= low && low <= middle && middle <= high && high <= Math.max(...values), `${low} ${middle} ${high}`);
  assert.ok(low < middle && middle < high, "a spread sample gives a spread interval");
});

test("more pairs give a narrower interval; a wider level a wider one", () => {
  // The same spread of values, 5 and 45 of them.
  const few = [0.9, 0.95, 1.0, 1.05, 1.1];
  const many = Array.from({ length: 9 }, () => few).flat();
  const width = ({ low, high }) => high - low;
  assert.ok(width(medianInterval(many)) < width(medianInterval(few)));
  assert.ok(width(medianInterval(many, { level: 0.99 })) >= width(medianInterval(many, { level: 0.5 })));
});

test("the interval is the same for the same values (seeded), and printed with two decimals", () => {
  const values = [1.1, 0.8, 0.95, 1.02, 0.99, 0.97];
  assert.deepEqual(medianInterval(values), medianInterval(values));
  assert.match(formatInterval(medianInterval(values)), /^\d\.\d\dx \[\d\.\d\d, \d\.\d\d\]$/);
});
