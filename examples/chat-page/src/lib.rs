//! What a chat example's page asks for in its query: the chat server
//! (`?server=ws://host:port`, or the page's own host) and who joins at once
//! (`&nickname=`). The browser reads it from its location; a server render
//! from the request it answers, so both render the same page. And the chat's
//! address for a nickname ([`chat_url`]), which every chat connects to.

/// What the page's query asks for.
#[derive(Clone, Debug, PartialEq)]
pub struct Page {
    /// The chat server: `ws://host:port`.
    pub server: String,
    /// Who joins at once, if anyone.
    pub nickname: Option<String>,
}

impl Page {
    /// Reads `query` (`?server=…&nickname=…`); without `server=`, the chat
    /// server is `ws://{host}`, or `None` when the host is unknown too.
    pub fn of_query(query: &str, host: Option<&str>) -> Option<Page> {
        let value = |name: &str| {
            query
                .trim_start_matches('?')
                .split('&')
                .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
                .filter(|value| !value.is_empty())
                .map(str::to_owned)
        };
        let server = value("server").or_else(|| Some(format!("ws://{}", host?)))?;
        Some(Page {
            server,
            nickname: value("nickname"),
        })
    }

    /// The page a server render asks for on its command line: the query as
    /// the one argument after the program's name; what is wrong otherwise.
    pub fn of_arguments(mut arguments: impl Iterator<Item = String>) -> Result<Page, String> {
        let program = arguments.next().unwrap_or_default();
        let (Some(query), None) = (arguments.next(), arguments.next()) else {
            return Err(format!(
                "usage: {program} '?server=ws://HOST:PORT[&nickname=NAME]'"
            ));
        };
        Page::of_query(&query, None).ok_or_else(|| {
            format!("the query must name the chat server (?server=ws://HOST:PORT), got {query:?}")
        })
    }

    /// The page a server render's command line asks for; on a wrong one,
    /// says what is wrong on stderr and gives the code to exit with.
    pub fn of_command_line() -> Result<Page, std::process::ExitCode> {
        Page::of_arguments(std::env::args()).map_err(|wrong| {
            eprintln!("{wrong}");
            std::process::ExitCode::from(2)
        })
    }

    /// The page the browser shows (in a browser only).
    pub fn of_location() -> Page {
        let location = web_sys::window().expect("a browser page").location();
        let query = location.search().unwrap_or_default();
        let host = location.host().unwrap_or_default();
        Page::of_query(&query, Some(&host)).expect("the host is known")
    }
}

/// The chat's address at `server` (`ws://host:port`, as [`Page`] reads it)
/// for `nickname`, encoded as `encodeURIComponent` does (in Rust, so that a
/// server render can make it too).
pub fn chat_url(server: &str, nickname: &str) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut url = format!("{server}/chat?nickname=");
    for byte in nickname.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&byte) {
            url.push(char::from(byte));
        } else {
            // By hand rather than `{:02X}`: the page then needs no hex formatting.
            url.push('%');
            url.push(char::from(HEX[usize::from(byte >> 4)]));
            url.push(char::from(HEX[usize::from(byte & 15)]));
        }
    }
    url
}

#[cfg(test)]
mod tests {
    use super::{chat_url, Page};

    #[test]
    fn the_query_names_the_server_and_who_joins() {
        let page = Page::of_query("?server=ws://127.0.0.1:9001&nickname=ann", None);
        assert_eq!(
            page,
            Some(Page {
                server: "ws://127.0.0.1:9001".to_owned(),
                nickname: Some("ann".to_owned()),
            })
        );
    }

    #[test]
    fn a_server_render_takes_the_query_as_its_one_argument() {
        let arguments = |list: &[&str]| list.iter().map(|a| a.to_string()).collect::<Vec<_>>();
        let page = Page::of_arguments(arguments(&["chat", "?server=ws://h:1"]).into_iter());
        assert_eq!(page.map(|page| page.server), Ok("ws://h:1".to_owned()));
        let usage = Page::of_arguments(arguments(&["chat"]).into_iter()).unwrap_err();
        assert!(usage.starts_with("usage: chat "), "{usage}");
        assert!(
            Page::of_arguments(arguments(&["chat", "?server=ws://h:1", "more"]).into_iter())
                .is_err()
        );
        let wrong =
            Page::of_arguments(arguments(&["chat", "?nickname=ann"]).into_iter()).unwrap_err();
        assert!(wrong.contains("must name the chat server"), "{wrong}");
    }

    #[test]
    fn without_a_server_the_host_serves_and_without_either_there_is_no_page() {
        let page = Page::of_query("?nickname=&servers=x", Some("example.com"));
        assert_eq!(
            page,
            Some(Page {
                server: "ws://example.com".to_owned(),
                nickname: None,
            })
        );
        assert_eq!(Page::of_query("?nickname=ann", None), None);
    }

    #[test]
    fn a_nickname_is_encoded_as_encode_uri_component_encodes_it() {
        assert_eq!(
            chat_url("ws://h:1", "Zoë & co (2)!"),
            "ws://h:1/chat?nickname=Zo%C3%AB%20%26%20co%20(2)!"
        );
    }
}
