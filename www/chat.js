// The chat panel: pick a nickname, then messages, joins and leaves; every text
// is rendered as text, never as HTML.
import { SteadySocket, parseJson } from "./package.js";
import { logLine, mountLifecycle } from "./lifecycle.js";

export function startChat(client) {
  const tag = `${client}-chat`;
  const joinForm = document.getElementById("chat-join");
  const form = document.getElementById("chat-form");
  const input = document.getElementById("chat-input");
  const log = document.getElementById("chat-log");
  let socket = null;

  joinForm.addEventListener("submit", (event) => {
    event.preventDefault();
    if (socket) return;
    const nickname = document.getElementById("chat-nickname").value.trim() || "anonymous";
    const url = `ws://${location.host}/chat?tag=${tag}&nickname=${encodeURIComponent(nickname)}`;
    socket = new SteadySocket(url, [], { minDelay: 1000, maxDelay: 8000 });
    socket.onmessage = (message) => {
      const event = parseJson(message);
      if (event.type === "message") {
        const item = logLine(log, "", "chat-message", true);
        const nick = document.createElement("span");
        nick.className = "chat-nick";
        nick.textContent = `${event.nickname}: `;
        item.append(nick, document.createTextNode(event.message));
      } else {
        logLine(log, `${event.nickname} ${event.type === "join" ? "joined" : "left"}`, "chat-notice", true);
      }
    };
    joinForm.hidden = true;
    form.hidden = false;
    input.focus();
    mountLifecycle(document.getElementById("chat"), socket, tag);
  });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const text = input.value;
    if (!text || !socket) return;
    try {
      if (socket.sendJson({ message: text }) === "queued") {
        logLine(log, `(queued until the connection is back) ${text}`, "chat-notice", true);
      }
      input.value = "";
    } catch (error) {
      logLine(log, `not sent: ${error.message}`, "chat-notice", true);
    }
  });
}
