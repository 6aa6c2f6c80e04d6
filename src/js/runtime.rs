//! What a no_std wasm needs from us: an allocator and a panic handler.
//!
//! The allocator is small on purpose (dlmalloc, which std uses, is a third
//! of this wasm): blocks come in power-of-two size classes from 8 bytes up,
//! each class keeps a list of its freed blocks for reuse, and new blocks are
//! cut from the end of linear memory, which grows a page at a time. What the
//! core allocates (a machine, its queues, short strings) is freed and taken
//! again in the same few sizes, so memory stops growing after the first
//! connections (measured over 10,000 cycles by `cargo xtask bench`).
//!
//! The core reports bad input as errors and is not known to panic; if it
//! ever did, the wasm traps (`unreachable`), as a std build would.

use core::alloc::{GlobalAlloc, Layout};
use core::arch::wasm32;
use core::cell::UnsafeCell;
use core::ptr::null_mut;

const PAGE: usize = 65_536;
/// Size classes 2^3 to 2^31 (wasm32 addresses 4 GiB).
const CLASSES: usize = 32;
const SMALLEST_CLASS: u32 = 3;
/// Blocks are aligned to their size or to this, whichever is smaller.
const MAX_ALIGN: usize = 16;

struct Heap {
    /// The first freed block of each class; a freed block holds the next.
    free: [*mut u8; CLASSES],
    /// Bytes of the blocks handed out and not freed.
    live: usize,
    /// Where the next new block may start, and the end of linear memory.
    next: usize,
    end: usize,
}

/// The allocator; see the module documentation.
struct SizeClasses(UnsafeCell<Heap>);

// wasm32-unknown-unknown without the atomics feature has one thread.
unsafe impl Sync for SizeClasses {}

/// The size class of `layout`, if it has one.
fn class_of(layout: Layout) -> Option<usize> {
    if layout.align() > MAX_ALIGN {
        return None;
    }
    let size = layout.size().max(1 << SMALLEST_CLASS);
    let class = size.checked_next_power_of_two()?.trailing_zeros() as usize;
    (class < CLASSES).then_some(class)
}

impl Heap {
    /// A new block of `size` (a power of two) from the end of memory.
    fn cut(&mut self, size: usize) -> *mut u8 {
        if self.end == 0 {
            self.end = wasm32::memory_size(0) * PAGE;
            self.next = self.end;
        }
        let align = size.min(MAX_ALIGN);
        let start = (self.next + align - 1) & !(align - 1);
        let Some(end) = start.checked_add(size) else {
            return null_mut();
        };
        if end > self.end {
            let pages = (end - self.end).div_ceil(PAGE);
            if wasm32::memory_grow(0, pages) == usize::MAX {
                return null_mut();
            }
            self.end += pages * PAGE;
        }
        self.next = end;
        start as *mut u8
    }
}

unsafe impl GlobalAlloc for SizeClasses {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let Some(class) = class_of(layout) else {
            return null_mut();
        };
        // SAFETY: one thread, and no allocator call is reentrant.
        let heap = unsafe { &mut *self.0.get() };
        let Some(&head) = heap.free.get(class) else {
            return null_mut();
        };
        heap.live += 1 << class;
        if head.is_null() {
            return heap.cut(1 << class);
        }
        // SAFETY: a freed block of this class holds the next freed one.
        let next = unsafe { head.cast::<*mut u8>().read() };
        if let Some(slot) = heap.free.get_mut(class) {
            *slot = next;
        }
        head
    }

    unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
        let Some(class) = class_of(layout) else {
            return;
        };
        // SAFETY: as in alloc; the block (at least 8 bytes, aligned) is ours again.
        let heap = unsafe { &mut *self.0.get() };
        if let Some(slot) = heap.free.get_mut(class) {
            unsafe { block.cast::<*mut u8>().write(*slot) };
            *slot = block;
            heap.live -= 1 << class;
        }
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
static ALLOCATOR: SizeClasses = SizeClasses(UnsafeCell::new(Heap {
    free: [null_mut(); CLASSES],
    live: 0,
    next: 0,
    end: 0,
}));

/// Bytes of the blocks the allocator has handed out and not taken back
/// (each rounded up to its size class).
pub fn live_bytes() -> usize {
    // SAFETY: one thread; a read between allocator calls.
    unsafe { (*ALLOCATOR.0.get()).live }
}

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    wasm32::unreachable()
}
