// The back/forward cache. Chromium (156 here) and WebKit keep a page with an
// open socket in it: WebKit closes the page's sockets as it goes in (the
// server sees the close then), Chromium as it is shown again, and both
// report each close (1006, an error first) only after the page's
// `pageshow`. Until then the platform socket reads OPEN, and WebKit drops
// what is sent on it, so a raw `WebSocket`'s message sent from the app's
// `pageshow` is lost there. The class hears `pageshow` in the capture phase
// (first, in WebKit) and replaces the connection at once: the message waits
// for the next one. (Firefox keeps no page with an open socket in the
// cache: going back loads the page again.) The Rust API's side is the
// framework chats' (framework-chats.mjs).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { counts, sleep, uniqueTag } from "./helpers.mjs";
import { serveScenarioPage } from "./static-server.mjs";

/**
 * In the page: an app's `pageshow` listener, added before the socket is
 * made, that sends "2" when the page is shown from the cache; then opens
 * `window.kept.socket` (the class, or with `raw` the platform's
 * `WebSocket`) to `url`, and records its events and the page's shows and
 * hides after its first load in `window.kept.log`.
 */
const openKeptSocket = async ({ url, raw }) => {
  const log = [];
  addEventListener("pageshow", (event) => event.persisted && window.kept.socket.send("2"));
  // The first load's own pageshow (persisted=false) may still be to come
  // when this runs on a slow machine: only what comes after it is recorded.
  const loaded = new Promise((resolve) => (performance.getEntriesByType("navigation")[0]?.loadEventEnd > 0 ? resolve() : addEventListener("pageshow", resolve, { once: true })));
  await loaded;
  for (const type of ["pagehide", "pageshow"]) addEventListener(type, (event) => log.push(`${type} persisted=${event.persisted}`));
  const { SteadySocket } = await import("/pkg/steadysocket.js");
  const socket = raw ? new WebSocket(url) : new SteadySocket(url);
  window.kept = { socket, log };
  for (const type of ["open", "error", "close", "message"]) {
    socket.addEventListener(type, (event) => log.push(`${type}${type === "message" ? ` ${event.data}` : ""}`));
  }
  await new Promise((resolve) => socket.addEventListener("open", resolve, { once: true }));
};

/** In the page: sends `text` and resolves once the server's acknowledgement of it is back (rejects after 5 s). */
const sendAndHearAck = (text) =>
  new Promise((resolve, reject) => {
    const { socket } = window.kept;
    const acknowledged = ({ data }) => data === `ack:${text}` && resolve(socket.removeEventListener("message", acknowledged));
    socket.addEventListener("message", acknowledged);
    socket.send(text);
    setTimeout(() => reject(new Error(`no ack:${text} within 5 s; the log: ${window.kept.log.join(", ")}`)), 5_000);
  });

/**
 * The class's tests of the back/forward cache in `place`, on pages from
 * `openPages()` (pages.mjs), against the peer server. `closesSocketsGoingIn`:
 * the engine closes a page's sockets as it goes into the cache (WebKit),
 * so the raw `WebSocket` loses what the app sends from its `pageshow`.
 */
export function backForwardCacheTestsIn(place, openPages, { closesSocketsGoingIn = false } = {}) {
  const peer = process.env.STEADYSOCKET_PEER ?? "127.0.0.1:9001";

  describe(`the back/forward cache in ${place}`, () => {
    let site;
    let pages;
    before(async () => {
      site = await serveScenarioPage();
      pages = await openPages();
    });
    after(async () => {
      await pages?.close();
      await site?.close();
    });

    /** Opens a socket on a fresh page, leaves the page and comes back: the page, its log and the peer's record. */
    async function leaveAndComeBack(raw) {
      const tag = uniqueTag("back-forward");
      const page = await pages.newPage();
      await page.goto(`${site.url}/js/browser.html`);
      await page.evaluate(openKeptSocket, { url: `ws://${peer}/echo?record=1&ack=1&tag=${tag}`, raw });
      await page.evaluate(sendAndHearAck, "1");
      await page.goto(`${site.url}/js/browser.html?away`);
      // WebKit closes the connection as the page goes in (the server sees
      // it then); Chromium 156 keeps it until the page is shown again.
      await sleep(1_000);
      assert.equal((await counts(peer, tag)).total, 1, "no attempt from the cache");
      await page.back();
      const shownAgain = () => window.kept?.log.includes("pageshow persisted=true");
      await page.waitFor(shownAgain, undefined, 10_000);
      const received = async () => (await (await fetch(`http://${peer}/received?tag=${tag}`)).json()).sequence;
      return { page, tag, received };
    }

    if (closesSocketsGoingIn) test(`in ${place}: the platform's own WebSocket, sent on from the app's pageshow, drops the message (what the class must not do)`, async () => {
      const { page, received } = await leaveAndComeBack(true);
      await page.waitFor(() => window.kept.log.includes("close"), undefined, 5_000);
      assert.deepEqual(await page.evaluate(() => window.kept.log), ["open", "message ack:1", "pagehide persisted=true", "pageshow persisted=true", "error", "close"]);
      assert.deepEqual(await received(), [1]);
    });

    test(`in ${place}: a page kept in the back/forward cache replaces its lost connection when shown again, and what the app sends from its pageshow arrives once`, async () => {
      const { page, tag, received } = await leaveAndComeBack(false);
      // The app's "2" went out on the next connection (WebKit: the class heard
      // `pageshow` first), or on the old one before the class replaced it
      // (Chromium, which runs a target's listeners in the order they were
      // added, and keeps the old connection until it reports its close).
      const reopened = () => window.kept.log.filter((entry) => entry === "open").length === 2 && window.kept.socket.readyState === 1;
      await page.waitFor(reopened, undefined, 10_000);
      for (let tries = 0; (await received()).length < 2; tries += 1) {
        assert.ok(tries < 50, `the server received ${await received()} 5 s after the page was shown again`);
        await sleep(100);
      }
      await page.evaluate(sendAndHearAck, "3");
      assert.deepEqual(await received(), [1, 2, 3], "each message arrives once, in order");
      // (The server may see the next connection before the old one's close.)
      const { open, total } = await counts(peer, tag);
      assert.deepEqual({ open, total }, { open: 1, total: 2 });
      await page.evaluate(() => window.kept.socket.close());
    });
  });
}
