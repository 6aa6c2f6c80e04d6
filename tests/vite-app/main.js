// Imports the package by name, as an app would, and does one echo round trip.
import { SteadySocket } from "steadysocket";

const status = document.getElementById("status");
const peer = new URLSearchParams(location.search).get("peer");
const socket = new SteadySocket(`ws://${peer}/echo`, ["vite.v1"]);
socket.onopen = () => {
  status.textContent = `open (${socket.protocol})`;
  socket.send("through vite");
};
socket.onmessage = (event) => {
  status.textContent = `echo: ${event.data}`;
  socket.close(1000, "done");
};
socket.onerror = () => {
  status.textContent = "error";
};
