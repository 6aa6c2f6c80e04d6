//! The memory the class and the core share: numbers and text passed each
//! way, and the cores by slot. A wasm instance runs on one thread; each
//! `with` here borrows for a copy or a lookup and ends before the export that
//! took it calls out to JavaScript, so JavaScript calling back in never meets
//! a borrow still alive (the contract of [`SingleThreaded::with`]).

use super::single_thread::SingleThreaded;
use super::Core;
use crate::core::utf8::is_utf8;
use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::RefCell;

use super::abi::NUMBER_SLOTS;

/// Numbers each way: the options in, an action or the status out.
pub static NUMBERS: SingleThreaded<[f64; NUMBER_SLOTS]> = SingleThreaded::new([0.0; NUMBER_SLOTS]);
/// UTF-8 the class writes: a protocol, a reason, a key.
pub static TEXT_IN: SingleThreaded<Vec<u8>> = SingleThreaded::new(Vec::new());
/// UTF-8 the core writes: an action's reason or protocol.
pub static TEXT_OUT: SingleThreaded<Vec<u8>> = SingleThreaded::new(Vec::new());
/// The cores by slot; a free slot is `None`.
pub static CORES: SingleThreaded<Vec<Option<Rc<RefCell<Core>>>>> = SingleThreaded::new(Vec::new());

/// The text the class wrote, `length` bytes of it; `None` for a negative
/// length (no text) or text that is not UTF-8.
pub fn text_in(length: i32) -> Option<String> {
    let length = usize::try_from(length).ok()?;
    // SAFETY: a copy out; nothing here calls out.
    unsafe {
        TEXT_IN.with(|text| {
            let bytes = text.get(..length)?;
            if !is_utf8(bytes) {
                return None;
            }
            // SAFETY: `is_utf8` accepts exactly what `core::str::from_utf8`
            // does (its tests compare the two on every sequence of up to
            // three bytes, on four-byte ones at every range's edge, and on
            // damaged text), so these bytes are UTF-8.
            Some(String::from(core::str::from_utf8_unchecked(bytes)))
        })
    }
}

/// Puts `text` where the class reads it; returns its length in bytes.
pub fn text_out(text: &str) -> u32 {
    // SAFETY: a copy in; nothing here calls out.
    unsafe {
        TEXT_OUT.with(|out| {
            out.clear();
            out.extend_from_slice(text.as_bytes());
        })
    };
    text.len() as u32
}

/// The core in `slot`, if there is one.
pub fn core_in(slot: u32) -> Option<Rc<RefCell<Core>>> {
    // SAFETY: a lookup; nothing here calls out.
    unsafe { CORES.with(|cores| cores.get(slot as usize)?.clone()) }
}

/// Keeps the core `make` builds for its slot (the first free one) and
/// returns the slot.
pub fn keep(make: impl FnOnce(u32) -> Core) -> u32 {
    // SAFETY: lookups and a store; `make` (which may be handed calls out to
    // JavaScript) runs between them, with no borrow alive.
    let (free, length) =
        unsafe { CORES.with(|cores| (cores.iter().position(Option::is_none), cores.len())) };
    let slot = free.unwrap_or(length);
    let core = Some(Rc::new(RefCell::new(make(slot as u32))));
    unsafe {
        CORES.with(|cores| match cores.get_mut(slot) {
            Some(entry) => *entry = core,
            None => cores.push(core),
        })
    };
    slot as u32
}

/// Empties `slot`; the core is dropped when no export holds it any more.
pub fn release(slot: u32) {
    // SAFETY: a take; the core is dropped after the borrow ends.
    let released =
        unsafe { CORES.with(|cores| cores.get_mut(slot as usize).and_then(Option::take)) };
    drop(released);
}
