//! Counters that tests and benchmarks use to prove that nothing leaks.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, AtomicUsize, Ordering};

pub use crate::web::live_listeners;

static LIVE_HEAP_BYTES: AtomicIsize = AtomicIsize::new(0);
static ALLOCATED_BYTES: AtomicUsize = AtomicUsize::new(0);

/// A global allocator that passes every call to the system allocator and
/// keeps a tally of the bytes the Rust heap holds, read by [`live_heap_bytes`],
/// and of the bytes it has allocated in all, read by [`allocated_bytes`].
///
/// Install it in a test or bench build to measure heap growth:
///
/// ```
/// #[global_allocator]
/// static ALLOCATOR: steadysocket::diagnostics::CountingAllocator =
///     steadysocket::diagnostics::CountingAllocator;
///
/// let (before, allocated) = (
///     steadysocket::diagnostics::live_heap_bytes(),
///     steadysocket::diagnostics::allocated_bytes(),
/// );
/// let kept = vec![0u8; 100];
/// assert_eq!(steadysocket::diagnostics::live_heap_bytes() - before, 100);
/// drop(kept);
/// assert_eq!(steadysocket::diagnostics::live_heap_bytes(), before);
/// assert_eq!(steadysocket::diagnostics::allocated_bytes() - allocated, 100);
/// ```
pub struct CountingAllocator;

/// Bytes allocated through [`CountingAllocator`] and not yet freed (0 if it
/// is not the global allocator).
pub fn live_heap_bytes() -> isize {
    LIVE_HEAP_BYTES.load(Ordering::Relaxed)
}

/// Bytes allocated through [`CountingAllocator`] since the program started,
/// freed or not (a `realloc` counts what it grew by): the difference across
/// a call tells how much it allocated, copies included.
pub fn allocated_bytes() -> usize {
    ALLOCATED_BYTES.load(Ordering::Relaxed)
}

/// Adds an allocation of `bytes` to both tallies.
fn count_allocation(bytes: usize) {
    LIVE_HEAP_BYTES.fetch_add(bytes as isize, Ordering::Relaxed);
    ALLOCATED_BYTES.fetch_add(bytes, Ordering::Relaxed);
}

// SAFETY: every call goes to the system allocator unchanged; only the tallies are added.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count_allocation(layout.size());
        System.alloc(layout)
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count_allocation(layout.size());
        System.alloc_zeroed(layout)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE_HEAP_BYTES.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        System.dealloc(ptr, layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        match new_size.checked_sub(layout.size()) {
            Some(grown) => count_allocation(grown),
            None => {
                LIVE_HEAP_BYTES.fetch_sub((layout.size() - new_size) as isize, Ordering::Relaxed);
            }
        }
        System.realloc(ptr, layout, new_size)
    }
}
