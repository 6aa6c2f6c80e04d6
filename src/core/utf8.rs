//! Whether bytes are UTF-8, in a fraction of the code of
//! `core::str::from_utf8`, whose word-at-a-time fast path is 0.9 KB of the
//! npm package's wasm. The texts the package's class hands the core (a close
//! reason, a subprotocol, an acknowledgement key) are a few bytes each, so
//! a byte-at-a-time check costs them nothing that shows.

/// Whether `bytes` are UTF-8 (RFC 3629): exactly what `core::str::from_utf8`
/// accepts (no overlong forms, no surrogates, nothing above U+10FFFF), as
/// the tests check byte sequence by byte sequence.
pub(crate) fn is_utf8(bytes: &[u8]) -> bool {
    let mut rest = bytes;
    while let [lead, after_lead @ ..] = rest {
        // How many continuation bytes follow, and the least code point that
        // needs that many (anything less is an overlong form).
        let (count, least) = match lead {
            0x00..=0x7F => (0, 0),
            0xC0..=0xDF => (1, 0x80),
            0xE0..=0xEF => (2, 0x800),
            0xF0..=0xF7 => (3, 0x1_0000),
            _ => return false,
        };
        let Some((continuation, after)) = after_lead.split_at_checked(count) else {
            return false;
        };
        // The lead's own bits: 7, 5, 4 or 3 of them.
        let mut code_point = u32::from(*lead) & (0x7F >> (count + usize::from(count > 0)));
        for byte in continuation {
            if byte & 0xC0 != 0x80 {
                return false;
            }
            code_point = code_point << 6 | u32::from(byte & 0x3F);
        }
        if code_point < least || (0xD800..=0xDFFF).contains(&code_point) || code_point > 0x10_FFFF {
            return false;
        }
        rest = after;
    }
    true
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::is_utf8;
    use proptest::prelude::*;

    fn agrees(bytes: &[u8]) {
        assert_eq!(
            is_utf8(bytes),
            core::str::from_utf8(bytes).is_ok(),
            "{bytes:02x?}"
        );
    }

    #[test]
    fn agrees_on_every_sequence_of_up_to_three_bytes() {
        agrees(&[]);
        for a in 0..=255u8 {
            agrees(&[a]);
            for b in 0..=255u8 {
                agrees(&[a, b]);
                for c in 0..=255u8 {
                    agrees(&[a, b, c]);
                }
            }
        }
    }

    #[test]
    fn agrees_on_four_byte_sequences_at_every_boundary() {
        // Every lead and second byte, with the third and fourth at and just
        // outside the continuation range's ends.
        let edges = [0x00, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF];
        for a in 0..=255u8 {
            for b in 0..=255u8 {
                for c in edges {
                    for d in edges {
                        agrees(&[a, b, c, d]);
                    }
                }
            }
        }
    }

    proptest! {
        #[test]
        fn agrees_on_text_and_its_damage(
            text in "\\PC{0,12}",
            cut in 0usize..64,
            flip in 0usize..64,
            byte in any::<u8>(),
        ) {
            let mut bytes = text.into_bytes();
            agrees(&bytes);
            agrees(&bytes[..cut.min(bytes.len())]);
            if !bytes.is_empty() {
                let at = flip % bytes.len();
                bytes[at] = byte;
                agrees(&bytes);
            }
        }

        #[test]
        fn agrees_on_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..24)) {
            agrees(&bytes);
        }
    }
}
