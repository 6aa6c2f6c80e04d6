// Preloaded (`node --require`) by `cargo xtask test` for the runs of the Rust
// API's suites and the package's scenarios in Node with the `ws` package's
// WebSocket in place of the global one, as apps on Node 20 and older put it
// there.
//
// It also serves an echo that negotiates permessage-deflate, where `ws`
// compresses what it is given to send after `send` returns (a view of wasm
// memory would be read too late): `binary_sends_are_copied_before_send_returns`
// in tests/web_socket.rs echoes through it (`globalThis.steadysocketDeflateEcho`).
const { createServer } = require("node:http");
const { WebSocket, WebSocketServer } = require("ws");

globalThis.WebSocket = WebSocket;

const http = createServer();
http.listen(0, "127.0.0.1");
// Neither the server nor its connections keep the suite's process alive.
http.unref();
const echo = new WebSocketServer({ server: http, perMessageDeflate: true });
echo.on("connection", (socket, request) => {
  request.socket.unref();
  socket.on("message", (data, isBinary) => socket.send(data, { binary: isBinary }));
});
// Read when the test runs: the server is listening by then (`address()` is
// null until it is, which is after this preload).
Object.defineProperty(globalThis, "steadysocketDeflateEcho", {
  get: () => `ws://127.0.0.1:${http.address().port}/`,
});
