// The page: an Echo under StrictMode (mounted twice in development, as React
// 19 does), a switch of its URL, one that unmounts it, and one that gives it
// a URL the socket refuses, whose error an error boundary shows.
import { Component, StrictMode, createElement as h, useEffect, useState } from "react";
import { createRoot } from "react-dom/client";
import { Echo } from "./echo.js";

const params = new URLSearchParams(location.search);
const urlOf = (room) => `ws://${params.get("peer")}/echo?tag=${params.get("tag")}-${room}`;

/** Shows what the Echo below it threw, instead of the Echo. */
class Boundary extends Component {
  state = { error: null };
  static getDerivedStateFromError(error) {
    return { error };
  }
  render() {
    const { error } = this.state;
    return error ? h("p", { id: "caught" }, `${error.name}: ${error.message}`) : this.props.children;
  }
}

function App() {
  const [mounted, setMounted] = useState(true);
  const [room, setRoom] = useState("a");
  const [refused, setRefused] = useState(false);
  // Counts mounts: 2 shows StrictMode's development double mount is on.
  useEffect(() => {
    window.appMounts = (window.appMounts ?? 0) + 1;
  }, []);
  return h(
    "div",
    null,
    h("button", { id: "toggle", onClick: () => setMounted((m) => !m) }, "mount or unmount"),
    h("button", { id: "room", onClick: () => setRoom("b") }, "room b"),
    h("button", { id: "refused", onClick: () => setRefused(true) }, "a URL the socket refuses"),
    mounted ? h(Boundary, null, h(Echo, { url: refused ? "ftp://example.com/" : urlOf(room) })) : h("p", { id: "unmounted" }, "unmounted"),
  );
}

// What the boundary caught is the page's to show, not an error for the console.
createRoot(document.getElementById("root"), { onCaughtError: () => {} }).render(h(StrictMode, null, h(App)));
