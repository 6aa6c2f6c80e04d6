// The Leptos example (examples/leptos-chat, the Rust API through
// `steadysocket::leptos`) end to end in headless Chromium, against a peer
// server this test starts, kills and starts again on the same port: two
// people chat; the server dies → both show "waiting" with a countdown; a
// message said meanwhile is queued and reaches the room once after the
// restart;
// leaving unmounts the chat and closes its socket (the server announces the
// leave and counts one connection fewer).
//
// Needs STEADYSOCKET_LEPTOS_CHAT (the built example: `cargo xtask test`
// builds it) and STEADYSOCKET_PEER_BIN (the peer server's binary).
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createServer, connect } from "node:net";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { launch, strictPage } from "./chromium.mjs";
import { counts, sleep } from "./helpers.mjs";
import { serve } from "./static-server.mjs";

const exampleDir = process.env.STEADYSOCKET_LEPTOS_CHAT;
const peerBin = process.env.STEADYSOCKET_PEER_BIN;
const shots = fileURLToPath(new URL("../../target/e2e/", import.meta.url));
let port;
let peer;
let site;
let browser;
let ann;
let bob;

/** A port that is free now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
    probe.on("error", reject);
  });
}

/** Resolves once something accepts connections on `port`. */
async function accepting(port) {
  for (let tries = 0; tries < 200; tries += 1) {
    const ok = await new Promise((resolve) => {
      const socket = connect(port, "127.0.0.1", () => resolve(socket.end() && true));
      socket.on("error", () => resolve(false));
    });
    if (ok) return;
    await sleep(50);
  }
  throw new Error(`the peer server did not listen on ${port} within 10 s`);
}

async function startPeer() {
  peer = spawn(peerBin, ["--port", String(port), "--hang-port", "0"], { stdio: ["ignore", "ignore", "inherit"] });
  await accepting(port);
}

async function killPeer() {
  const exited = new Promise((resolve) => peer.once("exit", resolve));
  peer.kill("SIGKILL");
  await exited;
}

// Chromium logs each refused handshake itself while the server is down: the
// platform's network log, not the page's error.
const pageProblems = (problems) => problems.filter((p) => !/WebSocket connection to .* failed/.test(p));

async function member(nickname) {
  const { page, problems } = await strictPage(browser);
  await page.goto(`${site.url}?server=ws://127.0.0.1:${port}`);
  await page.fill("#nickname", nickname);
  await page.press("#nickname", "Enter");
  await waitForState(page, "open");
  return { page, problems };
}

const waitForState = (page, state, timeout = 20_000) =>
  page.waitForSelector(`#status[data-state="${state}"]`, { timeout });

async function say(page, text) {
  await page.fill("#draft", text);
  await page.press("#draft", "Enter");
}

const messages = (page) => page.$$eval("#log li.message", (items) => items.map((li) => li.textContent));

const waitForLine = (page, text, timeout = 10_000) =>
  page.waitForFunction((t) => [...document.querySelectorAll("#log li")].some((li) => li.textContent === t), text, {
    timeout,
  });

before(async () => {
  assert.ok(exampleDir, "STEADYSOCKET_LEPTOS_CHAT names the built Leptos example (cargo xtask test sets it)");
  assert.ok(peerBin, "STEADYSOCKET_PEER_BIN names the peer server's binary (cargo xtask test sets it)");
  mkdirSync(shots, { recursive: true });
  port = await freePort();
  await startPeer();
  site = await serve({ "/": exampleDir });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await site?.close();
  peer?.kill("SIGKILL");
});

test("two members chat through the Leptos component", async () => {
  ann = await member("ann");
  bob = await member("bob");
  await waitForLine(ann.page, "bob joined");
  await say(ann.page, "hello from ann");
  await waitForLine(bob.page, "ann: hello from ann");
  await say(bob.page, "hi ann");
  await waitForLine(ann.page, "bob: hi ann");
  assert.equal((await counts(`127.0.0.1:${port}`, "chat")).open, 2);
});

test("server killed: waiting with a countdown; a message said meanwhile reaches the room once after the restart", async () => {
  await killPeer();
  await waitForState(ann.page, "waiting", 10_000);
  await waitForState(bob.page, "waiting", 10_000);
  // Between attempts the status counts down to the next one.
  await bob.page.waitForFunction(() =>
    /^waiting \(retrying in \d+\.\d s\) · queued: 0$/.test(document.querySelector("#status").textContent),
  );

  await say(bob.page, "said while the server was down");
  await bob.page.waitForFunction(() => document.querySelector("#status").textContent.endsWith("queued: 1"));
  await bob.page.screenshot({ path: `${shots}leptos-chat-waiting.png` });

  await startPeer();
  await waitForState(ann.page, "open", 40_000);
  await waitForState(bob.page, "open", 40_000);
  // The room has no history: whoever is back in it when bob's queue goes
  // out hears it, and bob always is (the room echoes him).
  await waitForLine(bob.page, "bob: said while the server was down");
  await sleep(300); // a second copy would have arrived by now
  const seen = (await messages(bob.page)).filter((m) => m === "bob: said while the server was down");
  assert.equal(seen.length, 1, "the queued message reaches the room exactly once");
  assert.match(await bob.page.textContent("#status"), /queued: 0$/);
});

test("leaving unmounts the chat and closes its socket: the server sees the leave", async () => {
  const peerAddress = `127.0.0.1:${port}`;
  await waitForLine(ann.page, "bob joined"); // announced again after the restart
  assert.equal((await counts(peerAddress, "chat")).open, 2);
  await bob.page.click("#leave");
  await bob.page.waitForSelector("#join");
  await waitForLine(ann.page, "bob left");
  for (let tries = 0; (await counts(peerAddress, "chat")).open !== 1; tries += 1) {
    assert.ok(tries < 50, "the server still counts bob's connection 5 s after he left");
    await sleep(100);
  }
  await ann.page.screenshot({ path: `${shots}leptos-chat-after-leave.png` });
  assert.deepEqual(pageProblems(ann.problems), []);
  assert.deepEqual(pageProblems(bob.problems), []);
});
