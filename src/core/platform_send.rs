//! Which platform `send`s copy binary data before they return, told by their
//! source text. WHATWG's `send` copies the bytes at the call, so the caller
//! may change or reuse its buffer at once; the `ws` package's may read the
//! buffer later (while an earlier message is being compressed), and so may
//! test doubles and subclasses that override `send`. Both faces copy a
//! binary message first for a `send` this does not trust: slower, never
//! wrong. The npm class declares the same marks (`pkg-template/platform.js`);
//! `tests/vectors.json` holds sources both faces are checked against.

/// What the source of a `send` that copies at once shows: the platform's own
/// shows no body; undici's (Node 18 and later) begins `webidl.brandCheck(this,
/// …)`, Deno's `webidl.assertBranded(this, …)`.
pub const COPYING_SENDS: [&[u8]; 3] = [b"[native code]", b"brandCheck(this", b"assertBranded(this"];

/// Whether a `send` whose source text (`Function.prototype.toString`) is
/// `source` copies binary data before it returns.
pub fn copies_at_once(source: &str) -> bool {
    COPYING_SENDS.iter().any(|mark| {
        source
            .as_bytes()
            .windows(mark.len())
            .any(|window| window == *mark)
    })
}
