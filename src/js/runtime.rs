//! What a no_std wasm needs from us: an allocator and a panic handler.
//!
//! The allocator is small on purpose (dlmalloc, which std uses, is a third
//! of this wasm): the size-class heap of [`super::size_classes`] over the
//! wasm's linear memory. What the
//! core allocates (a machine, its queues, short strings) is freed and taken
//! again in the same few sizes, so memory stops growing after the first
//! connections (measured over 10,000 cycles by `cargo xtask bench`).
//!
//! The core reports bad input as errors and is not known to panic; if it
//! ever did, the wasm traps (`unreachable`), as a std build would.

use super::single_thread::SingleThreaded;
use super::size_classes::{class_of, Heap, Memory, PAGE};
use core::alloc::{GlobalAlloc, Layout};
use core::arch::wasm32;
use core::ptr::null_mut;

/// The wasm's linear memory (memory 0).
struct LinearMemory;

impl Memory for LinearMemory {
    fn end(&self) -> usize {
        wasm32::memory_size(0) * PAGE
    }

    fn grow(&mut self, pages: usize) -> bool {
        wasm32::memory_grow(0, pages) != usize::MAX
    }
}

/// The allocator; see the module documentation and [`Heap`].
struct SizeClasses(SingleThreaded<Heap<LinearMemory>>);

// SAFETY (for each method): the heap's contract holds: linear memory above
// its end at the first allocation is nobody else's (the program's data and
// stack lie below), and Rust hands back each block with its layout. The
// heap's methods do not allocate, so no `with` of it is nested.
unsafe impl GlobalAlloc for SizeClasses {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        unsafe { self.0.with(|heap| heap.alloc(layout)) }
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        unsafe { self.0.with(|heap| heap.dealloc(block, layout)) }
    }

    unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let Ok(new_layout) = Layout::from_size_align(new_size, layout.align()) else {
            return null_mut();
        };
        if class_of(layout).is_some() && class_of(layout) == class_of(new_layout) {
            return block;
        }
        // SAFETY: the contract of GlobalAlloc::realloc, passed on.
        let moved = unsafe { self.alloc(new_layout) };
        if !moved.is_null() {
            unsafe {
                core::ptr::copy_nonoverlapping(block, moved, layout.size().min(new_size));
                self.dealloc(block, layout);
            }
        }
        moved
    }
}

#[global_allocator]
static ALLOCATOR: SizeClasses = SizeClasses(SingleThreaded::new(Heap::new(LinearMemory)));

/// Bytes of the blocks the allocator has handed out and not taken back
/// (each rounded up to its size class).
pub fn live_bytes() -> usize {
    // SAFETY: called between allocator calls (from an export), and reading
    // the count allocates nothing.
    unsafe { ALLOCATOR.0.with(|heap| heap.live()) }
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    wasm32::unreachable()
}
