// The page of csp.mjs, under the Content-Security-Policy its server sends:
// a SteadySocket of the package's entry `?entry=` echoes one message over
// the peer server `?peer=` and closes. `window.result` says what happened
// (or what the constructor threw), `window.violations` what the policy
// refused on this page.
window.violations = [];
addEventListener("securitypolicyviolation", (event) => {
  window.violations.push(`${event.effectiveDirective} ${event.blockedURI}`);
});

const query = new URLSearchParams(location.search);
const { SteadySocket } = await import(`/pkg/${query.get("entry")}`);

async function echo(url) {
  const socket = new SteadySocket(url);
  const next = (type) => new Promise((resolve) => socket.addEventListener(type, resolve, { once: true }));
  await next("open");
  socket.send("héllo");
  const { data } = await next("message");
  socket.close(1000, "done");
  const { code, wasClean } = await next("close");
  return { echoed: data, code, wasClean };
}

window.result = await echo(`ws://${query.get("peer")}/echo`).catch((error) => ({
  thrown: `${error.name}: ${error.message}`,
  cause: error.cause === undefined ? null : error.cause.name,
}));
