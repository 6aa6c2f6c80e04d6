//! Reading a raw HTTP request head (the bytes up to the blank line), for the
//! listeners below any WebSocket library: the hang listener, which answers
//! or never answers itself, and the chaos proxy, which deals a run's faults
//! to the connections of its tag.

use tokio::io::{AsyncRead, AsyncReadExt};

/// The most request bytes read before the head is taken as it is.
const MAX_HEAD: usize = 16 * 1024;

/// Reads from `stream` until the head's blank line, or more than
/// [`MAX_HEAD`] bytes: every byte read (also any past the blank line).
/// `None` if the stream ends or fails first.
pub async fn read_head(stream: &mut (impl AsyncRead + Unpin)) -> Option<Vec<u8>> {
    let mut head = Vec::new();
    let mut buffer = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() <= MAX_HEAD {
        match stream.read(&mut buffer).await {
            Ok(0) | Err(_) => return None,
            Ok(n) => head.extend_from_slice(&buffer[..n]),
        }
    }
    Some(head)
}

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
    use super::{header, query_param, read_head, MAX_HEAD};

    #[tokio::test(flavor = "current_thread")]
    async fn a_head_is_read_to_its_blank_line_or_its_limit() {
        let mut split = &b"GET /a HTTP/1.1\r\nHost: h\r\n\r\nafter"[..];
        let head = read_head(&mut split).await.unwrap();
        assert!(head.starts_with(b"GET /a HTTP/1.1\r\nHost: h\r\n\r\n"));
        let endless = vec![b'x'; 3 * MAX_HEAD];
        let head = read_head(&mut &endless[..]).await.unwrap();
        assert!(
            (MAX_HEAD..MAX_HEAD + 1024 + 1).contains(&head.len()),
            "{}",
            head.len()
        );
        assert_eq!(
            read_head(&mut &b"GET / HTTP/1.1\r\n"[..]).await,
            None,
            "ended first"
        );
    }

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
