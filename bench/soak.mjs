// `cargo xtask bench soak`: the chaos soak of tests/js/soak.mjs at full size,
// 200 SteadySockets with acknowledged delivery and a heartbeat through 5
// minutes of faults dealt in rounds (every kind once a round, in a random
// order), in Node. Prints the figures and writes them to
// target/bench/soak.json. It fails (exit 1) if a message was lost, repeated
// to the application or out of order, or a client did not settle.
import { mkdirSync, writeFileSync } from "node:fs";
import { soak } from "../tests/js/soak.mjs";

const { SteadySocket, steadysocketDiagnostics } = await import(new URL("../target/pkg/steadysocket.js", import.meta.url));
const peer = process.env.STEADYSOCKET_PEER ?? "127.0.0.1:9001";
const chaos = process.env.STEADYSOCKET_CHAOS ?? "127.0.0.1:9003";
const clients = Number(process.env.SOAK_CLIENTS ?? 200);
const seconds = Number(process.env.SOAK_SECONDS ?? 300);

console.log(`soak: ${clients} clients, ${seconds} s of faults dealt in rounds through the chaos proxy (Node ${process.version})`);
const started = Date.now();
const figures = await soak({ SteadySocket, steadysocketDiagnostics, peer, chaos, clients, seconds, everyMs: 100 });
const kb = (bytes) => (bytes === null ? "n/a" : `${(bytes / 1024).toFixed(0)} KiB`);
console.log(`faults by kind: ${Object.entries(figures.faults).map(([k, n]) => `${k} ${n}`).join(", ")}`);
console.log(`messages: ${figures.sent} sent, ${figures.delivered} delivered once and in order, ${figures.refused} refused, ${figures.dropped} dropped, ${figures.lost} lost, ${figures.outOfOrder} out of order, ${figures.repeatsDroppedByServer} repeats dropped by the server`);
console.log(`settled ${figures.settleMs} ms after the last fault; JS heap ${kb(figures.heapBefore.js)} -> ${kb(figures.heapAfter.js)} (after gc), Rust heap ${figures.heapBefore.rust} -> ${figures.heapAfter.rust} B, listeners left ${figures.listenersAfter}`);
console.log(`wall time ${((Date.now() - started) / 1000).toFixed(0)} s`);
mkdirSync(new URL("../target/bench/", import.meta.url), { recursive: true });
writeFileSync(new URL("../target/bench/soak.json", import.meta.url), JSON.stringify(figures, null, 2));
process.exit(0);
