// What the class makes of data: the events it dispatches besides messages,
// the size of what it queues, and copies of binary data it keeps.

/** An `Event` of `type` carrying `fields` as read-only properties. */
export function lifecycleEvent(type, fields) {
  const event = new Event(type);
  for (const [name, value] of Object.entries(fields)) {
    Object.defineProperty(event, name, { value, enumerable: true });
  }
  return event;
}

/** Bytes of `text` in UTF-8 (a lone surrogate counts as U+FFFD, 3 bytes). */
export function utf8Length(text) {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit < 0xdc00 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** A copy of binary data the caller may change after send() returns. */
export function copyOf(data) {
  return data instanceof ArrayBuffer
    ? data.slice(0)
    : new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice().buffer;
}
