// The three framework examples (examples/leptos-chat through
// `steadysocket::leptos`, examples/dioxus-chat and examples/yew-chat through
// the plain Rust API) end to end in a browser, in one room, against a peer
// server the tests start, kill and start again on the same port: "ann &
// co" (Leptos: a name the chat's URL must encode), bob (Dioxus) and cy (Yew)
// chat; the server dies → each page
// shows "waiting" with a countdown; a message each says meanwhile is queued
// and reaches the room once after the restart; leaving unmounts each chat
// and closes its socket (the others hear the leave, and the server counts
// one connection fewer each time). Where the engine keeps a page with an
// open socket in its back/forward cache (WebKit, which closes the socket on
// the way in; Chromium), the Leptos chat is left for another page and
// shown again from the cache: what it says from its `pageshow` reaches the
// room once. Then the Leptos and Yew chats rendered
// on the server (their `ssr` builds, native programs) are taken over in the
// browser (their `hydrate`/`hydration` builds), once online and once
// offline (the server down as well: the chat waits for the network without
// retrying, and connects when it is back). Run in Chromium
// (framework-chats.test.mjs), Firefox and WebKit (their test files).
//
// Needs STEADYSOCKET_EXAMPLES (the folder of the examples' pages: `cargo
// xtask test` builds them) and STEADYSOCKET_PEER_BIN (the peer server's
// binary).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { createServer, connect } from "node:net";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { counts, sleep } from "./helpers.mjs";
import { PROBLEM_RECORDER } from "./pages.mjs";
import { serve } from "./static-server.mjs";

const shots = fileURLToPath(new URL("../../target/e2e/", import.meta.url));
/**
 * The chats also rendered on the server, and who joins through each: the
 * browser half is in `${chat}-hydrate`, the server's program in
 * `${chat}-ssr/${chat}` (xtask/src/examples.rs, SERVER_RENDERED).
 */
const SERVER_RENDERED = [
  { chat: "leptos-chat", nickname: "dee" },
  { chat: "yew-chat", nickname: "eve" },
];

/**
 * Counts in `window.statusRemovals` every removal of a `#status` element
 * (or of what holds one), from before the page's own scripts run: a page
 * that hydrates keeps the server's elements, one that renders again
 * replaces them.
 */
const STATUS_REMOVALS = `<script>
window.statusRemovals = 0;
new MutationObserver((records) => {
  for (const { removedNodes } of records) {
    for (const node of removedNodes) {
      if (node.nodeType === 1 && (node.id === "status" || node.querySelector("#status"))) statusRemovals += 1;
    }
  }
}).observe(document, { childList: true, subtree: true });
</script>`;

/**
 * Makes the page's `navigator.onLine` false until `goOnline()` (in the page)
 * makes it true and fires `online`, as a browser does when the network
 * comes back: a page taken over while offline makes its first attempt all
 * the same, and once that fails waits for the network, not for a retry.
 */
const OFFLINE_UNTIL_TOLD = `<script>
let online = false;
Object.defineProperty(navigator, "onLine", { get: () => online, configurable: true });
window.goOnline = () => { online = true; dispatchEvent(new Event("online")); };
</script>`;

/** Who joins through which example. */
const MEMBERS = [
  { nickname: "ann & co", chat: "leptos-chat" },
  { nickname: "bob", chat: "dioxus-chat" },
  { nickname: "cy", chat: "yew-chat" },
];

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

// In-page conditions (each runs in the page, so it names nothing outside).
const stateIs = (state) => document.querySelector(`#status[data-state="${state}"]`) !== null;
const hasLine = (text) => [...document.querySelectorAll("#log li")].some((li) => li.textContent === text);
const statusText = () => document.querySelector("#status")?.textContent ?? null;
const statusMatches = (pattern) => new RegExp(pattern).test(document.querySelector("#status").textContent);
const statusIsNot = (before) => document.querySelector("#status").textContent !== before;
const messages = () => [...document.querySelectorAll("#log li.message")].map((li) => li.textContent);
const joinShown = () => document.querySelector("#join") !== null;
const openOrTroubled = () => document.querySelector('#status[data-state="open"]') !== null || window.pageProblems.length > 0;

/**
 * In the page: an app's `pageshow` listener that says `text` in the chat
 * when the page is shown again from the back/forward cache (typed into the
 * draft, as `bind:value` hears it, and submitted).
 */
const sayOnRestore = (text) =>
  addEventListener("pageshow", (event) => {
    if (!event.persisted) return;
    const draft = document.querySelector("#draft");
    draft.value = text;
    draft.dispatchEvent(new Event("input", { bubbles: true }));
    draft.form.requestSubmit();
  });

/**
 * The framework chats' tests in `place` (a name for the test titles), on
 * pages from `openPages()` (pages.mjs: chromiumPages or webDriverPages).
 * `backForwardCache`: the engine keeps a page with an open socket in its
 * back/forward cache (WebKit; Chromium with the cache left on).
 */
export function frameworkChatTestsIn(place, openPages, { backForwardCache = false } = {}) {
  const examplesDir = process.env.STEADYSOCKET_EXAMPLES;
  /** `place` in the screenshots' names. */
  const slug = place.toLowerCase().replaceAll(" ", "-");
  const peerBin = process.env.STEADYSOCKET_PEER_BIN;
  let port;
  let peer;
  let site;
  let pages;
  /** The members' pages, in MEMBERS' order. */
  const members = [];

  async function startPeer() {
    peer = spawn(peerBin, ["--port", String(port), "--hang-port", "0"], { stdio: ["ignore", "ignore", "inherit"] });
    await accepting(port);
  }

  async function killPeer() {
    const exited = new Promise((resolve) => peer.once("exit", resolve));
    peer.kill("SIGKILL");
    await exited;
  }

  const waitForState = (page, state, ms = 20_000) => page.waitFor(stateIs, state, ms);
  const waitForLine = (page, text, ms = 10_000) => page.waitFor(hasLine, text, ms);

  async function enter({ nickname, chat }) {
    const page = await pages.newPage();
    await page.goto(`${new URL(`/${chat}/`, site.url)}?server=ws://127.0.0.1:${port}`);
    await page.waitFor(() => document.querySelector("#nickname") !== null, undefined, 20_000);
    await page.submit("#nickname", nickname);
    await waitForState(page, "open");
    return { nickname, chat, page };
  }

  describe(`the framework chats in ${place}`, () => {
    before(async () => {
      assert.ok(examplesDir, "STEADYSOCKET_EXAMPLES names the examples' pages (cargo xtask test sets it)");
      assert.ok(peerBin, "STEADYSOCKET_PEER_BIN names the peer server's binary (cargo xtask test sets it)");
      mkdirSync(shots, { recursive: true });
      port = await freePort();
      await startPeer();
      const folders = [...MEMBERS.map(({ chat }) => chat), ...SERVER_RENDERED.map(({ chat }) => `${chat}-hydrate`)];
      const mounts = Object.fromEntries(folders.map((folder) => [`/${folder}/`, join(examplesDir, folder)]));
      site = await serve(mounts, { headScript: PROBLEM_RECORDER + STATUS_REMOVALS });
      pages = await openPages();
    });

    after(async () => {
      await pages?.close();
      await site?.close();
      peer?.kill("SIGKILL");
    });

    test(`in ${place}: a member of each framework chats with the others`, async () => {
      for (const member of MEMBERS) {
        const joined = await enter(member);
        for (const other of members) await waitForLine(other.page, `${member.nickname} joined`);
        members.push(joined);
      }
      for (const speaker of members) {
        await speaker.page.submit("#draft", `hello from ${speaker.chat}`);
        for (const listener of members) {
          await waitForLine(listener.page, `${speaker.nickname}: hello from ${speaker.chat}`);
        }
      }
      assert.equal((await counts(`127.0.0.1:${port}`, "chat")).open, MEMBERS.length);
    });

    test(`in ${place}: server killed: each waits with a countdown; what each says meanwhile reaches the room once after the restart`, async () => {
      await killPeer();
      for (const { page } of members) await waitForState(page, "waiting", 10_000);
      for (const { page, chat } of members) {
        // Between attempts the status counts down to the next one.
        await page.waitFor(statusMatches, String.raw`^waiting \(retrying in \d+\.\d s\) · queued: 0$`, 10_000);
        const shown = await page.evaluate(statusText);
        await page.waitFor(statusIsNot, shown, 1_000); // and goes on counting (or the attempt starts)
        await page.submit("#draft", `said in ${chat} while the server was down`);
        await page.waitFor(statusMatches, "queued: 1$", 5_000);
      }
      await members[1].page.screenshot(`${shots}dioxus-chat-waiting-${slug}.png`);
      await members[0].page.screenshot(`${shots}leptos-chat-waiting-${slug}.png`);

      await startPeer();
      for (const { page } of members) await waitForState(page, "open", 40_000);
      // The room has no history: whoever is back in it when a queue goes out
      // hears it, and its sender always is (the room echoes each member).
      for (const { page, nickname, chat } of members) {
        await waitForLine(page, `${nickname}: said in ${chat} while the server was down`);
      }
      await sleep(300); // a second copy would have arrived by now
      for (const { page, nickname, chat } of members) {
        const line = `${nickname}: said in ${chat} while the server was down`;
        const seen = (await page.evaluate(messages)).filter((m) => m === line);
        assert.equal(seen.length, 1, `${chat}: the queued message reaches the room exactly once`);
        assert.match(await page.evaluate(statusText), /queued: 0$/, chat);
      }
    });

    if (backForwardCache) {
      test(`in ${place}: the Leptos chat left for another page and shown again from the back/forward cache is open again, and what it says from its pageshow reaches the room once`, async () => {
        const [{ page, nickname }, ...others] = members;
        const line = `${nickname}: said from the page's pageshow`;
        await page.evaluate(sayOnRestore, "said from the page's pageshow");
        await page.evaluate(() => (window.keptByTheCache = true));
        await page.goto(new URL("/dioxus-chat/", site.url).href); // a page of its own, no socket until one joins
        await sleep(500);
        await page.back();
        await waitForState(page, "open", 10_000);
        assert.equal(await page.evaluate(() => window.keptByTheCache), true, "the same page, from the cache");
        for (const { page: listener } of members) await waitForLine(listener, line);
        await sleep(300); // a second copy would have arrived by now
        for (const { page: listener, chat } of members) {
          assert.equal((await listener.evaluate(messages)).filter((m) => m === line).length, 1, `${chat} hears it once`);
        }
        assert.equal(others.length + 1, (await counts(`127.0.0.1:${port}`, "chat")).open);
        assert.deepEqual(await page.problems(), []);
      });
    }

    test(`in ${place}: leaving unmounts each chat and closes its socket: the others and the server see the leave`, async () => {
      const peerAddress = `127.0.0.1:${port}`;
      const open = async () => (await counts(peerAddress, "chat")).open;
      const untilOpen = async (count, what) => {
        for (let tries = 0; (await open()) !== count; tries += 1) {
          assert.ok(tries < 50, `the server counts ${await open()} open chat connections, not ${count}, 5 s ${what}`);
          await sleep(100);
        }
      };
      await untilOpen(members.length, "after the restart");
      for (const [index, leaver] of members.entries()) {
        await leaver.page.click("#leave");
        await leaver.page.waitFor(joinShown, undefined, 5_000);
        for (const stayer of members.slice(index + 1)) await waitForLine(stayer.page, `${leaver.nickname} left`);
        await untilOpen(members.length - index - 1, `after ${leaver.nickname} left (${leaver.chat})`);
      }
      await members[2].page.screenshot(`${shots}yew-chat-after-leave-${slug}.png`);
      for (const { chat, page } of members) assert.deepEqual(await page.problems(), [], chat);
    });

    for (const [{ chat, nickname: name }, offline] of SERVER_RENDERED.flatMap((rendered) => [[rendered, false], [rendered, true]])) {
      const how = offline ? " while offline: it waits, not retrying, until the network is back, then" : "";
      test(`in ${place}: ${chat} rendered on the server is taken over in the browser${how}: it connects, talks and closes on leave`, async () => {
        const nickname = `${name}${offline ? "-offline" : ""}-${slug}`;
        const query = `?server=ws://127.0.0.1:${port}&nickname=${nickname}`;
        // What a server sends for this query: the chat, in the status a socket starts with.
        const html = execFileSync(join(examplesDir, `${chat}-ssr`, chat), [query], { encoding: "utf8" });
        const [, state, text] = html.match(/<p id="status" data-state="([a-z]+)">(.*?)<\/p>/) ?? [];
        assert.deepEqual([state, text?.replace(/<!--.*?-->|<!>/g, "")], ["connecting", "connecting · queued: 0"], html);
        assert.doesNotMatch(html, /id="join"/);
        assert.match(html, /<head>/);
        const file = `${slug}${offline ? "-offline" : ""}.html`;
        writeFileSync(join(examplesDir, `${chat}-hydrate`, file), offline ? html.replace("<head>", `<head>${OFFLINE_UNTIL_TOLD}`) : html);
        const open = async () => (await counts(`127.0.0.1:${port}`, "chat")).open;
        assert.equal(await open(), 0, "nobody is in the room before");

        // Offline, the first attempt is made all the same (`navigator.onLine`
        // can be wrong), and fails here: the server is down.
        if (offline) await killPeer();
        const page = await pages.newPage();
        await page.goto(`${new URL(`/${chat}-hydrate/${file}`, site.url)}${query}`);
        if (offline) {
          // The page shows the socket waiting for the network, in the
          // server's element, with no countdown: no retry is due.
          const waitingOrTroubled = () => document.querySelector('#status[data-state="waiting"]') !== null || window.pageProblems.length > 0;
          await page.waitFor(waitingOrTroubled, undefined, 20_000);
          assert.deepEqual(await page.problems(), [], "the page is taken over without a problem");
          assert.equal(await page.evaluate(statusText), "waiting · queued: 0");
          await startPeer();
          // Not offline, the first retry would come within the backoff's
          // first ceiling (1 s).
          await sleep(2_500);
          assert.equal(await page.evaluate(statusText), "waiting · queued: 0", "no retry while offline");
          assert.equal(await open(), 0, "no attempt while offline");
          await page.evaluate(() => window.goOnline());
        }
        // A page that does not match what the app renders in the browser
        // gets a console error from the framework (and a panic): say
        // so, not a timeout.
        await page.waitFor(openOrTroubled, undefined, 20_000);
        assert.deepEqual(await page.problems(), [], "the page is taken over without a problem");
        assert.equal(await page.evaluate(() => window.statusRemovals), 0, "the server's status element was kept, not rendered again");
        assert.equal(await page.evaluate(() => document.querySelectorAll("#status").length), 1);
        assert.equal(await page.evaluate(statusText), "open · queued: 0");
        await page.submit("#draft", "hello from a hydrated page");
        await waitForLine(page, `${nickname}: hello from a hydrated page`);
        assert.equal(await open(), 1);
        await page.click("#leave");
        await page.waitFor(joinShown, undefined, 5_000);
        for (let tries = 0; (await open()) !== 0; tries += 1) {
          assert.ok(tries < 50, "the server still counts the hydrated chat's connection 5 s after the leave");
          await sleep(100);
        }
        assert.deepEqual(await page.problems(), []);
      });
    }
  });
}
