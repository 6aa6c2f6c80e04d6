//! Reading what the hang listener needs from a raw HTTP request head (the
//! bytes up to the blank line), which it parses itself because it answers,
//! or never answers, below any WebSocket library.

/// The value of query parameter `name` in the request line of `head`, if
/// the request has one (the first occurrence; no percent-decoding).
pub fn query_param(head: &[u8], name: &str) -> Option<String> {
    let text = String::from_utf8_lossy(head);
    let target = text.lines().next()?.split(' ').nth(1)?;
    let query = target.split_once('?')?.1;
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key == name).then(|| value.to_owned())
    })
}

/// The trimmed value of header `name` (any case) in `head`, if present.
pub fn header(head: &[u8], name: &str) -> Option<String> {
    String::from_utf8_lossy(head)
        .lines()
        .skip(1)
        .find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim()
                .eq_ignore_ascii_case(name)
                .then(|| value.trim().to_owned())
        })
}

#[cfg(test)]
mod tests {
    use super::{header, query_param};

    #[test]
    fn query_params_come_from_the_request_line_only() {
        let head = b"GET /x?a=1&tag=t7&close=1008 HTTP/1.1\r\nHost: h?tag=no\r\n\r\n";
        assert_eq!(query_param(head, "tag").as_deref(), Some("t7"));
        assert_eq!(query_param(head, "close").as_deref(), Some("1008"));
        assert_eq!(query_param(head, "a").as_deref(), Some("1"));
        assert_eq!(query_param(head, "ta"), None);
        assert_eq!(query_param(b"GET / HTTP/1.1\r\n\r\n", "tag"), None);
        assert_eq!(query_param(b"", "tag"), None);
    }

    #[test]
    fn headers_are_found_in_any_case_and_trimmed() {
        let head = b"GET / HTTP/1.1\r\nHost: h\r\nsec-WebSocket-key:  abc== \r\n\r\n";
        assert_eq!(header(head, "Sec-WebSocket-Key").as_deref(), Some("abc=="));
        assert_eq!(header(head, "Origin"), None);
    }
}
