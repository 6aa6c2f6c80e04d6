//! Drops `core::fmt` from the npm package's wasm, which never formats.
//!
//! The no_std core's panic handler traps without reading the message
//! (`src/js/runtime.rs`), and nothing else in it formats: it has no
//! `core::fmt::write`, through which all formatting runs. Yet a panic
//! message's arguments name their formatting functions in the function
//! table: the allocation-error handler's "memory allocation of N bytes
//! failed" keeps `<u32 as Display>::fmt` and the integer padding behind it
//! (0.9 KB of the wasm, 0.4 KB gzip), and no stable Rust lets the crate
//! replace that handler. So, before wasm-opt, the body of every function of
//! `core::fmt` becomes `unreachable` (a trap, as that panic would have
//! been), and wasm-opt removes what only those bodies called. If the
//! wasm ever does format (`core::fmt::write` is in it), this refuses.
//!
//! It reads the function names from the wasm's `name` section and rewrites
//! only the code section.

/// A function of `core::fmt`, in Rust's v0 or legacy mangling.
fn is_formatting(name: &str) -> bool {
    name.contains("4core3fmt")
}

/// The one function through which everything formats.
fn is_write(name: &str) -> bool {
    is_formatting(name) && name.contains("5write") && !name.contains("Formatter")
}

/// A reader of the wasm binary format's pieces.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, at: 0 }
    }

    fn done(&self) -> bool {
        self.at >= self.bytes.len()
    }

    fn byte(&mut self) -> Result<u8, String> {
        let byte = *self.bytes.get(self.at).ok_or("the wasm ends early")?;
        self.at += 1;
        Ok(byte)
    }

    /// An unsigned LEB128 number of at most 32 bits.
    fn number(&mut self) -> Result<u32, String> {
        let mut value = 0u32;
        for shift in (0..35).step_by(7) {
            let byte = self.byte()?;
            value |= u32::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err("a number in the wasm is longer than 32 bits".to_owned())
    }

    fn take(&mut self, length: usize) -> Result<&'a [u8], String> {
        let end = self
            .at
            .checked_add(length)
            .filter(|&end| end <= self.bytes.len());
        let slice = &self.bytes[self.at..end.ok_or("the wasm ends early")?];
        self.at += length;
        Ok(slice)
    }

    /// A length-prefixed run of bytes (a name, a section, a body).
    fn sized(&mut self) -> Result<&'a [u8], String> {
        let length = self.number()? as usize;
        self.take(length)
    }
}

/// Appends `value` as an unsigned LEB128 number.
fn push_number(out: &mut Vec<u8>, mut value: u32) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// How many functions the import section brings in (they come first in
/// the function index space).
fn imported_functions(section: &[u8]) -> Result<u32, String> {
    let mut reader = Reader::new(section);
    let mut functions = 0;
    for _ in 0..reader.number()? {
        reader.sized()?;
        reader.sized()?;
        match reader.byte()? {
            0x00 => {
                functions += 1;
                reader.number()?;
            }
            0x01 => {
                reader.byte()?;
                skip_limits(&mut reader)?;
            }
            0x02 => skip_limits(&mut reader)?,
            0x03 => {
                reader.byte()?;
                reader.byte()?;
            }
            kind => {
                return Err(format!(
                    "an import of kind {kind:#x} the stub does not know"
                ))
            }
        }
    }
    Ok(functions)
}

fn skip_limits(reader: &mut Reader) -> Result<(), String> {
    let flags = reader.byte()?;
    reader.number()?;
    if flags & 1 == 1 {
        reader.number()?;
    }
    Ok(())
}

/// The function names of a `name` section's content, by function index.
fn function_names(content: &[u8]) -> Result<Vec<(u32, String)>, String> {
    let mut reader = Reader::new(content);
    let mut names = Vec::new();
    while !reader.done() {
        let id = reader.byte()?;
        let subsection = reader.sized()?;
        if id != 1 {
            continue;
        }
        let mut entries = Reader::new(subsection);
        for _ in 0..entries.number()? {
            let index = entries.number()?;
            let name = String::from_utf8_lossy(entries.sized()?).into_owned();
            names.push((index, name));
        }
    }
    Ok(names)
}

/// A code section whose bodies at `stubbed` (indices into the section) are
/// `unreachable`.
fn stub_bodies(section: &[u8], stubbed: &[usize]) -> Result<Vec<u8>, String> {
    // No locals, `unreachable`, `end`.
    const TRAP: [u8; 3] = [0x00, 0x00, 0x0b];
    let mut reader = Reader::new(section);
    let count = reader.number()?;
    let mut out = Vec::with_capacity(section.len());
    push_number(&mut out, count);
    for index in 0..count as usize {
        let body = reader.sized()?;
        let body = if stubbed.contains(&index) {
            &TRAP[..]
        } else {
            body
        };
        push_number(&mut out, body.len() as u32);
        out.extend_from_slice(body);
    }
    Ok(out)
}

/// `wasm` with every `core::fmt` function's body `unreachable`, and the
/// names of those functions; an error if the wasm formats or has no names.
pub fn without_formatting(wasm: &[u8]) -> Result<(Vec<u8>, Vec<String>), String> {
    let mut reader = Reader::new(wasm);
    let header = reader.take(8)?;
    let mut sections = Vec::new();
    while !reader.done() {
        let id = reader.byte()?;
        sections.push((id, reader.sized()?));
    }
    let imports = match sections.iter().find(|(id, _)| *id == 2) {
        Some((_, section)) => imported_functions(section)?,
        None => 0,
    };
    let mut names = None;
    for (_, section) in sections.iter().filter(|(id, _)| *id == 0) {
        let mut custom = Reader::new(section);
        if custom.sized()? == b"name" {
            names = Some(function_names(&section[custom.at..])?);
        }
    }
    let names = names.ok_or("the wasm has no name section to find core::fmt by")?;
    if let Some((_, name)) = names.iter().find(|(_, name)| is_write(name)) {
        return Err(format!(
            "the npm core formats ({name} is in its wasm): find what calls it, or stop dropping core::fmt"
        ));
    }
    let formatting: Vec<(u32, String)> = names
        .into_iter()
        .filter(|(index, name)| *index >= imports && is_formatting(name))
        .collect();
    let stubbed: Vec<usize> = formatting
        .iter()
        .map(|(index, _)| (index - imports) as usize)
        .collect();
    let mut out = header.to_vec();
    for (id, section) in sections {
        let rewritten;
        let content = if id == 10 {
            rewritten = stub_bodies(section, &stubbed)?;
            &rewritten[..]
        } else {
            section
        };
        out.push(id);
        push_number(&mut out, content.len() as u32);
        out.extend_from_slice(content);
    }
    Ok((out, formatting.into_iter().map(|(_, name)| name).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A section: its id, its length, its content.
    fn section(id: u8, content: &[u8]) -> Vec<u8> {
        let mut out = vec![id];
        push_number(&mut out, content.len() as u32);
        out.extend_from_slice(content);
        out
    }

    fn name(text: &str) -> Vec<u8> {
        let mut out = Vec::new();
        push_number(&mut out, text.len() as u32);
        out.extend_from_slice(text.as_bytes());
        out
    }

    /// The code of three functions returning 1, 2 and 3.
    const CODE: [u8; 16] = [
        3, 4, 0, 0x41, 1, 0x0b, 4, 0, 0x41, 2, 0x0b, 4, 0, 0x41, 3, 0x0b,
    ];

    /// A module of one imported function and three defined ones (indices
    /// 1-3) with `code`, named `names` if there are names.
    fn module(names: Option<[&str; 3]>, code: &[u8]) -> Vec<u8> {
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        wasm.extend(section(1, &[1, 0x60, 0, 1, 0x7f]));
        let mut imports = vec![1];
        imports.extend(name("env"));
        imports.extend(name("f"));
        imports.extend([0x00, 0x00]);
        wasm.extend(section(2, &imports));
        wasm.extend(section(3, &[3, 0, 0, 0]));
        wasm.extend(section(10, code));
        if let Some(names) = names {
            let mut entries = vec![3];
            for (index, text) in (1..).zip(names) {
                entries.push(index);
                entries.extend(name(text));
            }
            let mut custom = name("name");
            custom.extend(section(1, &entries));
            wasm.extend(section(0, &custom));
        }
        wasm
    }

    const DISPLAY: &str = "_RNvXs8_NtNtNtCs0_4core3fmt3num3impmNtB9_7Display3fmt";
    const PAD: &str = "_RNvMsa_NtCs0_4core3fmtNtB5_9Formatter12pad_integral";
    const WRITE: &str = "_RNvNtCs0_4core3fmt5write";

    #[test]
    fn the_bodies_of_core_fmt_functions_become_a_trap_and_nothing_else_changes() {
        let names = Some(["ours", DISPLAY, PAD]);
        let (out, stubbed) = without_formatting(&module(names, &CODE)).unwrap();
        assert_eq!(stubbed, [DISPLAY, PAD]);
        let trapped = [3, 4, 0, 0x41, 1, 0x0b, 3, 0, 0, 0x0b, 3, 0, 0, 0x0b];
        assert_eq!(out, module(names, &trapped));
    }

    #[test]
    fn a_wasm_without_core_fmt_is_unchanged() {
        let wasm = module(Some(["a", "b", "c"]), &CODE);
        assert_eq!(without_formatting(&wasm).unwrap(), (wasm, vec![]));
    }

    #[test]
    fn a_wasm_that_formats_or_has_no_names_is_refused() {
        let error = without_formatting(&module(Some(["a", DISPLAY, WRITE]), &CODE)).unwrap_err();
        assert!(error.contains("formats"), "{error}");
        let error = without_formatting(&module(None, &CODE)).unwrap_err();
        assert!(error.contains("no name section"), "{error}");
        let error =
            without_formatting(&module(Some(["a", DISPLAY, "c"]), &CODE[..10])).unwrap_err();
        assert!(error.contains("ends early"), "{error}");
    }
}
