// Reading a V8 CPU profile (the DevTools protocol's `Profiler.stop` result)
// for bench/profile.mjs; tested in tests/js/bench-profile.test.mjs.

/**
 * Self time in µs by function, named `name [file]` (the file's last path
 * segment, if it has one), summed over the samples of `profile`.
 */
export function selfTimes(profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const times = new Map();
  profile.samples.forEach((id, i) => {
    const { functionName, url } = byId.get(id).callFrame;
    const file = url.split("/").pop();
    const name = `${functionName || "(anonymous)"}${file ? ` [${file}]` : ""}`;
    times.set(name, (times.get(name) ?? 0) + profile.timeDeltas[i]);
  });
  return times;
}

/** Adds the self times of `times` into `into`. */
export function addTimes(into, times) {
  for (const [name, us] of times) into.set(name, (into.get(name) ?? 0) + us);
}

/**
 * What the thread did: `idle` and `busy` (all but idle) in µs, and the `count`
 * busiest functions, most first.
 */
export function summary(times, count) {
  const busyEntries = [...times].filter(([name]) => name !== "(idle)");
  return {
    idle: times.get("(idle)") ?? 0,
    busy: busyEntries.reduce((sum, [, us]) => sum + us, 0),
    top: busyEntries.sort((a, b) => b[1] - a[1]).slice(0, count),
  };
}
