//! Counters that tests and benchmarks use to prove that nothing leaks.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};

pub use crate::web::live_listeners;

static LIVE_HEAP_BYTES: AtomicIsize = AtomicIsize::new(0);

/// A global allocator that passes every call to the system allocator and
/// keeps a tally of the bytes the Rust heap holds, read by [`live_heap_bytes`].
///
/// Install it in a test or bench build to measure heap growth:
///
/// ```
/// #[global_allocator]
/// static ALLOCATOR: steadysocket::diagnostics::CountingAllocator =
///     steadysocket::diagnostics::CountingAllocator;
///
/// let before = steadysocket::diagnostics::live_heap_bytes();
/// let kept = vec![0u8; 100];
/// assert_eq!(steadysocket::diagnostics::live_heap_bytes() - before, 100);
/// drop(kept);
/// ```
pub struct CountingAllocator;

/// Bytes allocated through [`CountingAllocator`] and not yet freed (0 if it
/// is not the global allocator).
pub fn live_heap_bytes() -> isize {
    LIVE_HEAP_BYTES.load(Ordering::Relaxed)
}

// SAFETY: every call goes to the system allocator unchanged; only the tally is added.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE_HEAP_BYTES.fetch_add(layout.size() as isize, Ordering::Relaxed);
        System.alloc(layout)
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        LIVE_HEAP_BYTES.fetch_add(layout.size() as isize, Ordering::Relaxed);
        System.alloc_zeroed(layout)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE_HEAP_BYTES.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        System.dealloc(ptr, layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let grown = new_size as isize - layout.size() as isize;
        LIVE_HEAP_BYTES.fetch_add(grown, Ordering::Relaxed);
        System.realloc(ptr, layout, new_size)
    }
}
