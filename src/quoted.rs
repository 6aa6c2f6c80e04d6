//! Text in double quotes as JSON writes it, for the JSON codec and for the
//! values that error messages name (as the npm class shows them, through
//! `JSON.stringify`).

use core::fmt;

/// Writes `text` as a JSON string: `"` and `\` escaped, the control
/// characters below U+0020 as `\n`, `\r`, `\t` or `\u00XX`, everything else
/// as it is (what `JSON.stringify` and serde_json write).
pub(crate) fn write_json_string<W: fmt::Write + ?Sized>(text: &str, out: &mut W) -> fmt::Result {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.write_char('"')?;
    let mut run = 0;
    for (at, byte) in text.bytes().enumerate() {
        let escape = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0..=0x1f => "\\u00",
            _ => continue,
        };
        // `at` is an ASCII byte: a character boundary.
        out.write_str(text.get(run..at).unwrap_or_default())?;
        out.write_str(escape)?;
        if escape == "\\u00" {
            out.write_char(char::from(HEX[usize::from(byte >> 4)]))?;
            out.write_char(char::from(HEX[usize::from(byte & 15)]))?;
        }
        run = at + 1;
    }
    out.write_str(text.get(run..).unwrap_or_default())?;
    out.write_char('"')
}

/// `Display`s its text as [`write_json_string`] writes it.
pub(crate) struct Quoted<'a>(pub(crate) &'a str);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_json_string(self.0, f)
    }
}
