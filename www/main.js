// The demo page: echo, a live stock ticker and chat, each through its own
// SteadySocket, each with its lifecycle panel and fault buttons.
import { startChat } from "./chat.js";
import { startEcho } from "./echo.js";
import { startStocks } from "./stocks.js";
import { core } from "./package.js";

// Tags this page's connections on the server, so its fault buttons break only them.
const client = Math.random().toString(36).slice(2, 10);
document.getElementById("core").textContent = core;
startEcho(client);
startStocks(client);
startChat(client);
