//! The npm package's wasm as a JavaScript string literal: one character
//! (code 0-255) per byte, after a swap of byte values that makes the
//! literal smaller. `pkg-template/unpack.wat` (through `literal.js`) turns it
//! back into the bytes.
//!
//! Most bytes cost one byte of the literal, but a byte from 0x80 is two
//! bytes of UTF-8, and the ones esbuild writes as escapes (NUL as `\0`,
//! 0x07 as `\x07` and so on, see [`extra_cost`]) two to four. The wasm uses
//! some of them thousands of times (0x00 2,763 times in 27.8 KB, 0x80 551
//! times) while some printable characters hardly occur. So the most costly
//! byte values trade places with the rarest printable ones, and the literal
//! starts with the trades: one byte `n`, then `n` pairs of byte values.
//! Measured at the commit that brought this (gzip -9 of the ES module
//! bundle): 24,554 B before, 23,916 B with at most 16 pairs; at most 8
//! gave 23,973, 12 23,929, 20 23,915, 24 23,921 and 32 23,971 B: past
//! some 16 the trades touch bytes too rare to pay for their header and
//! break patterns gzip had found, hence [`MAX_PAIRS`].

/// At most this many byte values trade places.
const MAX_PAIRS: usize = 16;

/// Bytes of the literal beyond one that a byte value costs as esbuild writes
/// it in a template literal with `--charset=utf8`: the escapes, and 0x80 and
/// above (two bytes of UTF-8). The rest costs nothing extra.
fn extra_cost(byte: u8) -> usize {
    match byte {
        0x00 | 0x08 | 0x0b | 0x0c | 0x0d | b'\\' | b'`' => 1,
        0x07 | 0x1b => 3,
        0x80.. => 1,
        _ => 0,
    }
}

/// What a costly byte value may become: printable ASCII that no string or
/// template literal escapes (not a quote, backslash, `$` or `{`).
fn is_free(byte: u8) -> bool {
    (0x20..0x7f).contains(&byte) && !b"\"$'\\`{".contains(&byte)
}

/// The pairs of byte values to trade for `bytes`: the costliest values
/// (count × extra cost) with the rarest free ones, while a trade saves more
/// than its two bytes of header.
fn pairs_for(bytes: &[u8]) -> Vec<(u8, u8)> {
    let mut count = [0usize; 256];
    for &byte in bytes {
        count[usize::from(byte)] += 1;
    }
    let weight = |byte: u8| count[usize::from(byte)] * extra_cost(byte);
    let mut costly: Vec<u8> = (0..=255).filter(|&byte| extra_cost(byte) > 0).collect();
    costly.sort_by_key(|&byte| std::cmp::Reverse(weight(byte)));
    let mut free: Vec<u8> = (0..=255).filter(|&byte| is_free(byte)).collect();
    free.sort_by_key(|&byte| count[usize::from(byte)]);
    costly
        .into_iter()
        .zip(free)
        .take(MAX_PAIRS)
        // The trade saves the extra cost of each `dear` byte and adds it to
        // each `cheap` one; the pair itself is two bytes of header.
        .take_while(|&(dear, cheap)| {
            let (dear_count, cheap_count) = (count[usize::from(dear)], count[usize::from(cheap)]);
            dear_count.saturating_sub(cheap_count) * extra_cost(dear) > 2
        })
        .collect()
}

/// `bytes` with the trades applied, after their header: the literal's bytes.
pub fn packed(bytes: &[u8]) -> Vec<u8> {
    let pairs = pairs_for(bytes);
    let mut swap: [u8; 256] = core::array::from_fn(|byte| byte as u8);
    let mut out = Vec::with_capacity(1 + 2 * pairs.len() + bytes.len());
    out.push(pairs.len() as u8);
    for &(a, b) in &pairs {
        swap[usize::from(a)] = b;
        swap[usize::from(b)] = a;
        out.extend([a, b]);
    }
    out.extend(bytes.iter().map(|&byte| swap[usize::from(byte)]));
    out
}

/// The source of a string literal holding `bytes`, one character per
/// byte as the character of that code, raw, except what a string literal
/// cannot hold raw (`"`, `\\`, line feed and carriage return) and NUL, which
/// are escaped. Control characters are legal in a literal and esbuild keeps
/// most of them raw with `--charset=utf8`; written raw they cost one or two
/// bytes instead of a four-character `\xNN`, and the wasm's byte patterns
/// stay visible to gzip. Unlike base64 it packs almost as well as the binary.
pub fn byte_literal(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 2);
    for (index, &byte) in bytes.iter().enumerate() {
        let next_is_digit = bytes.get(index + 1).is_some_and(u8::is_ascii_digit);
        match byte {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            // `\0` before a digit would be an octal escape.
            0 if next_is_digit => out.push_str("\\x00"),
            0 => out.push_str("\\0"),
            _ => out.push(char::from(byte)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What unpack.wat does after the UTF-8 fold, for checking the format here.
    fn unpacked(literal: &[u8]) -> Vec<u8> {
        let (&count, rest) = literal.split_first().unwrap();
        let (pairs, data) = rest.split_at(2 * usize::from(count));
        let mut swap: [u8; 256] = core::array::from_fn(|byte| byte as u8);
        for pair in pairs.chunks(2) {
            swap[usize::from(pair[0])] = pair[1];
            swap[usize::from(pair[1])] = pair[0];
        }
        data.iter().map(|&byte| swap[usize::from(byte)]).collect()
    }

    /// A wasm-like spread: many NULs and 0x80s, few `z`s.
    fn sample() -> Vec<u8> {
        (0..20_000u32)
            .map(|i| match i % 7 {
                0 | 1 => 0,
                2 => 0x80,
                3 => (i % 251) as u8,
                _ => b'A' + (i % 5) as u8,
            })
            .collect()
    }

    #[test]
    fn byte_literals_escape_what_javascript_would_read_otherwise() {
        assert_eq!(byte_literal(b"\0asm\x01"), "\\0asm\u{1}");
        assert_eq!(byte_literal(&[0, b'7']), "\\x007", "no octal escape");
        assert_eq!(byte_literal(b"\"\\\n\r\t"), "\\\"\\\\\\n\\r\t");
        assert_eq!(
            byte_literal(&[0x7f, 0x85, 0x9f, 0xa0, 0xff]),
            "\u{7f}\u{85}\u{9f}\u{a0}\u{ff}"
        );
    }

    #[test]
    fn packed_bytes_unpack_to_the_same_bytes() {
        let every: Vec<u8> = (0..=255).collect();
        for bytes in [vec![], every.clone(), every.repeat(3), sample()] {
            assert_eq!(unpacked(&packed(&bytes)), bytes);
        }
    }

    #[test]
    fn the_costliest_values_trade_with_free_ones_and_each_value_trades_once() {
        let pairs = pairs_for(&sample());
        assert!(!pairs.is_empty() && pairs.len() <= MAX_PAIRS);
        assert_eq!(pairs[0].0, 0, "NUL is the costliest here");
        assert!(pairs.iter().any(|&(dear, _)| dear == 0x80));
        let mut seen = std::collections::HashSet::new();
        for &(dear, cheap) in &pairs {
            assert!(
                extra_cost(dear) > 0 && is_free(cheap),
                "{dear:#x} ↔ {cheap:#x}"
            );
            assert!(seen.insert(dear) && seen.insert(cheap), "traded twice");
        }
    }

    #[test]
    fn nothing_trades_where_it_would_not_pay() {
        let every: Vec<u8> = (0..=255).collect();
        assert_eq!(packed(&every)[0], 0, "every value once: no trade pays");
        assert_eq!(packed(b"plain text"), b"\0plain text");
    }
}
