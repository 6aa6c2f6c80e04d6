// What benchmarks and leak tests read of every socket at once.
import { engine } from "./engine.js";
import { liveListeners } from "./platform.js";

/**
 * Counters for benchmarks and leak tests: the wasm linear memory in bytes,
 * the bytes the core's allocator holds, and the platform event listeners
 * currently attached by all sockets.
 */
export function steadysocketDiagnostics() {
  const wasm = engine();
  return { wasmMemoryBytes: wasm.memory.buffer.byteLength, rustHeapBytes: wasm.live_heap_bytes(), liveListeners: liveListeners() };
}
