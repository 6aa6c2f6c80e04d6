// Sends behind a Blob: a Blob's bytes are read asynchronously, and whatever
// is sent after it, of any kind, waits for it, so that order is kept.

/**
 * The bytes of `blob`, a Blob of any realm or a Blob-like (a `Blob` or `File`
 * by its string tag, with its own `arrayBuffer()`, as undici takes them).
 * A platform Blob of another realm is read as a copy of this realm's: one of
 * an iframe since removed never settles its own read (Chromium, Firefox).
 */
function bytesOf(blob) {
  let readable = blob;
  if (!(blob instanceof Blob)) {
    try {
      const copy = structuredClone(blob);
      if (copy instanceof Blob) readable = copy;
    } catch {
      // Not a platform Blob: read by its own method.
    }
  }
  return readable.arrayBuffer();
}

/** One socket's sends waiting behind a Blob being read, carried out in order. */
export class BlobQueue {
  /** Bytes of the sends waiting (counted in bufferedAmount from send(), as WHATWG does). */
  bytes = 0;
  #last = Promise.resolve();
  #idle;

  /** `idle()` is called when every send pushed has been carried out and no other was pushed meanwhile. */
  constructor(idle) {
    this.#idle = idle;
  }

  /**
   * Carries out `send(payload)` after every send pushed before, `payload`
   * being `data` (`size` bytes), read first if `isBlob`; calls
   * `refused(payload, error)` instead if reading or sending throws.
   */
  push(data, isBlob, size, send, refused) {
    this.bytes += size;
    const link = this.#last.then(async () => {
      let payload = data;
      try {
        if (isBlob) payload = await bytesOf(data);
        send(payload);
      } catch (error) {
        refused(payload, error);
      } finally {
        this.bytes -= size;
      }
    });
    this.#last = link;
    link.then(() => {
      if (this.#last === link) this.#idle();
    });
  }
}
