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
    /// clean. A close with no code from the peer (1005, 1006, 1015) has no
    /// reason either (RFC 6455 §7.1.6); workerd reports a dropped
    /// connection's 1006 with a reason of its own, which is not reported.
    /// Both faces build every close they report through this.
    pub fn from_platform(code: f64, reason: String, was_clean: bool) -> CloseInfo {
        // `as` saturates (and makes NaN 0); the comparison keeps whole codes only.
        let whole = code as u16;
        let framed = (1000..=4999).contains(&whole) && f64::from(whole) == code;
        let code = if framed { whole } else { ABNORMAL_CLOSURE };
        CloseInfo {
            code,
            reason: if carries_no_reason(code) {
                String::new()
            } else {
                reason
            },
            was_clean: framed && was_clean,
        }
    }
}

/// Whether a close reported with `code` came without a code from the peer,
/// and so without a reason: 1005 (a close frame with no body), 1006 (no close
/// frame) and 1015 (the TLS handshake failed), the codes RFC 6455 §7.4.1
/// keeps out of close frames.
const fn carries_no_reason(code: u16) -> bool {
    matches!(code, 1005 | ABNORMAL_CLOSURE | 1015)
}

/// Whether an `error` is reported before `close`: platforms differ (a
/// connection dropped without a close frame fires `error` first in Node 24
/// and for a reset in Firefox, not in Chromium or Node 20; workerd fires one,
/// "Network connection lost.", before some clean 1000 closes), so
/// steadysocket reports one `error`, exactly once, before every close that
/// ends a lost or failed connection (code 1006), and none before other
/// closes. An `error` the platform fires before the open is reported at once
/// (it ends the attempt); one it fires after the open is not reported by
/// itself: the close that follows decides, through this. Both faces ask it
/// with whether the connection reported one already.
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
