//! The memory the class and the core share: numbers and text passed each
//! way, and the cores by slot. A wasm instance runs on one thread, and each
//! borrow here ends before the export that took it calls out to JavaScript,
//! so JavaScript calling back in never meets a borrow still alive.

use super::Core;
use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::{RefCell, UnsafeCell};

/// A value the exports share.
pub struct Shared<T>(UnsafeCell<T>);

// wasm32-unknown-unknown without the atomics feature has one thread.
unsafe impl<T> Sync for Shared<T> {}

impl<T> Shared<T> {
    const fn new(value: T) -> Self {
        Shared(UnsafeCell::new(value))
    }

    /// Runs `f` on the value; `f` must not call out to JavaScript.
    pub fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        // SAFETY: one thread, and (see the module documentation) no other
        // borrow of this value is alive while `f` runs.
        f(unsafe { &mut *self.0.get() })
    }
}

use super::abi::NUMBER_SLOTS;

/// Numbers each way: the options in, an action or the status out.
pub static NUMBERS: Shared<[f64; NUMBER_SLOTS]> = Shared::new([0.0; NUMBER_SLOTS]);
/// UTF-8 the class writes: a protocol, a reason, a key.
pub static TEXT_IN: Shared<Vec<u8>> = Shared::new(Vec::new());
/// UTF-8 the core writes: an action's reason or protocol.
pub static TEXT_OUT: Shared<Vec<u8>> = Shared::new(Vec::new());
/// The cores by slot; a free slot is `None`.
pub static CORES: Shared<Vec<Option<Rc<RefCell<Core>>>>> = Shared::new(Vec::new());

/// The text the class wrote, `length` bytes of it; `None` for a negative
/// length (no text) or text that is not UTF-8.
pub fn text_in(length: i32) -> Option<String> {
    let length = usize::try_from(length).ok()?;
    TEXT_IN.with(|text| {
        let bytes = text.get(..length)?;
        core::str::from_utf8(bytes).ok().map(String::from)
    })
}

/// Puts `text` where the class reads it; returns its length in bytes.
pub fn text_out(text: &str) -> u32 {
    TEXT_OUT.with(|out| {
        out.clear();
        out.extend_from_slice(text.as_bytes());
    });
    text.len() as u32
}

/// The core in `slot`, if there is one.
pub fn core_in(slot: u32) -> Option<Rc<RefCell<Core>>> {
    CORES.with(|cores| cores.get(slot as usize)?.clone())
}

/// Keeps the core `make` builds for its slot (the first free one) and
/// returns the slot.
pub fn keep(make: impl FnOnce(u32) -> Core) -> u32 {
    let free = CORES.with(|cores| cores.iter().position(Option::is_none));
    let slot = free.unwrap_or_else(|| CORES.with(|cores| cores.len()));
    let core = Some(Rc::new(RefCell::new(make(slot as u32))));
    CORES.with(|cores| match cores.get_mut(slot) {
        Some(entry) => *entry = core,
        None => cores.push(core),
    });
    slot as u32
}

/// Empties `slot`; the core is dropped when no export holds it any more.
pub fn release(slot: u32) {
    let released = CORES.with(|cores| cores.get_mut(slot as usize).and_then(Option::take));
    drop(released);
}
