//! The one wrapper for values that the exports (and the allocator) share in
//! the single-threaded wasm.

use core::cell::UnsafeCell;

/// A value shared by the whole wasm, borrowed one call at a time.
pub struct SingleThreaded<T>(UnsafeCell<T>);

// SAFETY: wasm32-unknown-unknown without the atomics feature has one thread,
// so the value is never reached from two threads.
unsafe impl<T> Sync for SingleThreaded<T> {}

impl<T> SingleThreaded<T> {
    /// Wraps `value`.
    pub const fn new(value: T) -> Self {
        SingleThreaded(UnsafeCell::new(value))
    }

    /// Runs `f` on the value.
    ///
    /// # Safety
    /// No other borrow of this value may be alive while `f` runs: `f` must
    /// not reach the value again, directly or through a call that can (for
    /// the exports' values: no call out to JavaScript, which may call an
    /// export back; for the allocator's heap: no allocation), and the caller
    /// must not be inside another `with` of the same value.
    pub unsafe fn with<R>(&self, f: impl FnOnce(&mut T) -> R) -> R {
        // SAFETY: one thread, and by the contract above no other borrow.
        f(unsafe { &mut *self.0.get() })
    }
}
