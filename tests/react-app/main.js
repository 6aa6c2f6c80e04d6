// The page: an Echo under StrictMode (mounted twice in development, as React
// 19 does), a switch of its URL and one that unmounts it.
import { StrictMode, createElement as h, useEffect, useState } from "react";
import { createRoot } from "react-dom/client";
import { Echo } from "./echo.js";

const params = new URLSearchParams(location.search);
const urlOf = (room) => `ws://${params.get("peer")}/echo?tag=${params.get("tag")}-${room}`;

function App() {
  const [mounted, setMounted] = useState(true);
  const [room, setRoom] = useState("a");
  // Counts mounts: 2 shows StrictMode's development double mount is on.
  useEffect(() => {
    window.appMounts = (window.appMounts ?? 0) + 1;
  }, []);
  return h(
    "div",
    null,
    h("button", { id: "toggle", onClick: () => setMounted((m) => !m) }, "mount or unmount"),
    h("button", { id: "room", onClick: () => setRoom("b") }, "room b"),
    mounted ? h(Echo, { url: urlOf(room) }) : h("p", { id: "unmounted" }, "unmounted"),
  );
}

createRoot(document.getElementById("root")).render(h(StrictMode, null, h(App)));
