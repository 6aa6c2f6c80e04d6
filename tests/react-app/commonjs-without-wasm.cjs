// The CommonJS hook where there is no WebAssembly (run by
// tests/js/react.test.mjs with `node --jitless`): react-test-renderer mounts
// a component over `require("steadysocket/react")` with the `ws` package as
// its WebSocket (Node's own needs WebAssembly to parse HTTP), which echoes a
// message through the peer server at argv[2] and closes on unmount. Prints
// what it saw as one line of JSON.
const { act, createElement } = require("react");
const TestRenderer = require("react-test-renderer");
const { useSteadySocket } = require("steadysocket/react");
const WebSocket = require("ws");

const url = process.argv[2];
const messages = [];
let hook = null;

function Echo() {
  hook = useSteadySocket(url, [], { WebSocket, onMessage: (event) => messages.push(String(event.data)) });
  return null;
}

/** Resolves once `done()` holds, checking every 10 ms; rejects after 5 s. */
function until(done, what) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const check = () => {
      if (done()) resolve();
      else if (Date.now() - started > 5000) reject(new Error(`${what}: not after 5 s`));
      else setTimeout(check, 10);
    };
    check();
  });
}

(async () => {
  let renderer;
  await act(async () => {
    renderer = TestRenderer.create(createElement(Echo));
  });
  await until(() => hook.readyState === 1, "open");
  const socket = hook.socket;
  hook.send("hello");
  await until(() => messages.includes("hello"), "the echo");
  await act(async () => renderer.unmount());
  await until(() => socket.readyState === 3, "closed on unmount");
  console.log(JSON.stringify({ webAssembly: typeof WebAssembly, messages, readyState: socket.readyState }));
  process.exit(0);
})().catch((error) => {
  console.log(JSON.stringify({ error: String(error) }));
  process.exit(1);
});
