// A Worker that echoes one message through a SteadySocket: GET /?peer=HOST:PORT
// answers "echo: " and what the peer server's /echo sent back.
import { SteadySocket } from "steadysocket";

export default {
  async fetch(request) {
    const peer = new URL(request.url).searchParams.get("peer");
    if (peer === null) return new Response("ready");
    const echoed = await new Promise((resolve, reject) => {
      const socket = new SteadySocket(`ws://${peer}/echo`, [], { maxRetries: 0 });
      socket.onopen = () => socket.send("through wrangler");
      socket.onmessage = (event) => {
        socket.close();
        resolve(event.data);
      };
      socket.onclose = (event) => reject(new Error(`closed with ${event.code} before the echo`));
    });
    return new Response(`echo: ${echoed}`);
  },
};
