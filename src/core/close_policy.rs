//! Which closes are worth a reconnect: the default `should_reconnect` table.

use crate::core::validation::ABNORMAL_CLOSURE;
use alloc::string::String;

/// What the peer (or the platform) reported when a connection ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CloseInfo {
    /// The close code (1006 when there was no close frame).
    pub code: u16,
    /// The close reason.
    pub reason: String,
    /// Whether the closing handshake completed.
    pub was_clean: bool,
}

impl CloseInfo {
    /// What the platform reported, as WHATWG says it is reported: a code no
    /// close frame can carry (outside 1000–4999; Deno reports a dropped
    /// connection as 0) means the connection ended without one: 1006, not
    /// clean. Both faces build every close they report through this.
    pub fn from_platform(code: f64, reason: String, was_clean: bool) -> CloseInfo {
        // `as` saturates (and makes NaN 0); the comparison keeps whole codes only.
        let whole = code as u16;
        if (1000..=4999).contains(&whole) && f64::from(whole) == code {
            CloseInfo {
                code: whole,
                reason,
                was_clean,
            }
        } else {
            CloseInfo {
                code: ABNORMAL_CLOSURE,
                reason,
                was_clean: false,
            }
        }
    }
}

/// Whether an `error` is reported before `close`: platforms differ (a
/// connection dropped without a close frame fires `error` first in Node 24
/// and for a reset in Firefox, not in Chromium or Node 20), so steadysocket
/// reports one `error`, exactly once, before every close that ends a lost or
/// failed connection (code 1006), and none before other closes: both faces
/// ask this with whether the connection reported one already.
pub fn error_precedes(close: &CloseInfo, error_reported: bool) -> bool {
    close.code == ABNORMAL_CLOSURE && !error_reported
}

/// The default answer to "reconnect after this close?".
///
/// | codes | reconnect? | why |
/// |---|---|---|
/// | 1000, 1001, 1005, 1006, 1011, 1012, 1013, 1014 | yes | normal end, going away, no status, dropped, server error, restart, try again later, bad gateway |
/// | 1002, 1003, 1007, 1008, 1009, 1010, 1015 | no | protocol, data, policy, size, extension and TLS failures repeat on every attempt |
/// | 3000, 3003 | no | unauthorized, forbidden (IANA registry) |
/// | other 3000–4999 | yes | application codes: retry unless the predicate says otherwise |
/// | anything else | yes | |
pub fn default_should_reconnect(close: &CloseInfo) -> bool {
    !matches!(
        close.code,
        1002 | 1003 | 1007 | 1008 | 1009 | 1010 | 1015 | 3000 | 3003
    )
}
