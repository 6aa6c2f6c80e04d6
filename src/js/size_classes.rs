//! The size-class heap behind the npm package's allocator (`runtime.rs`),
//! over any memory that grows at its end, so that its rules are tested
//! natively (`tests/npm_allocator.rs` includes this file as it is; it has no
//! crate imports on purpose).
//!
//! Blocks come in size classes from 8 bytes up: the powers of two and,
//! from 24 on, three quarters of each (8, 16, 24, 32, 48, 64, 96, …), so
//! that a block is at most a third larger than what it holds (a power of
//! two alone wasted up to half: the npm core's 472 bytes took 512, and a
//! few bytes over 256 took 512). Each class keeps a list of its freed
//! blocks for reuse (a freed block holds the address of the next); new
//! blocks are cut from the end of the memory, which grows a page at a time.
//! A block is aligned to the largest power of two that divides its size, up
//! to 16 bytes; a layout is served by the smallest class that holds its size
//! and is aligned as it asks; larger alignments are refused.

use core::alloc::Layout;
use core::ptr::null_mut;

/// The unit the memory grows by (a wasm page).
pub const PAGE: usize = 65_536;
/// Size classes 2^3 to 2^31 (wasm32 addresses 4 GiB), with 3 × 2^(k-2)
/// between 2^(k-1) and 2^k from 24 on: 28 powers and 27 between them.
const CLASSES: usize = 56;
/// The largest alignment served: a block is aligned to its size or to this,
/// whichever is smaller.
pub const MAX_ALIGN: usize = 16;

/// Memory that grows at its end.
pub trait Memory {
    /// The address one past the last byte of the memory now.
    fn end(&self) -> usize;
    /// Grows the memory by `pages` pages at its end; false if it cannot.
    fn grow(&mut self, pages: usize) -> bool;
}

/// The heap; see the module documentation.
pub struct Heap<M> {
    /// The address of the first freed block of each class (0: none).
    free: [usize; CLASSES],
    /// Bytes of the blocks handed out and not taken back.
    live: usize,
    /// Where the next new block may start (0: not yet known) and the end of memory.
    next: usize,
    end: usize,
    memory: M,
}

/// The size class that serves `layout`: the smallest that holds
/// `max(size, align)` and is aligned to `align`; none for an alignment
/// above [`MAX_ALIGN`] or a size beyond the largest class.
pub fn class_of(layout: Layout) -> Option<usize> {
    if layout.align() > MAX_ALIGN {
        return None;
    }
    let size = layout.size().max(layout.align());
    if size <= 8 {
        return Some(0);
    }
    let power = size.checked_next_power_of_two()?.trailing_zeros() as usize;
    // The three-quarter class below 2^power: 24 and up, aligned to 8 (24)
    // or 16 (48 and up).
    let three_quarters = 3 << (power - 2);
    let class = if power >= 5 && size <= three_quarters && (power >= 6 || layout.align() <= 8) {
        2 * power - 8
    } else {
        2 * power - 7
    };
    (class < CLASSES).then_some(class)
}

/// The bytes of a block of `class` (see [`class_of`]).
pub fn class_size(class: usize) -> usize {
    match class {
        0 => 8,
        odd if odd % 2 == 1 => 1 << ((odd + 7) / 2),
        even => 3 << (even / 2 + 2),
    }
}

impl<M: Memory> Heap<M> {
    /// An empty heap; new blocks start at the memory's end as it is on the
    /// first allocation.
    pub const fn new(memory: M) -> Self {
        Heap {
            free: [0; CLASSES],
            live: 0,
            next: 0,
            end: 0,
            memory,
        }
    }

    /// Bytes of the blocks handed out and not taken back (each counted at
    /// the size of its class).
    pub fn live(&self) -> usize {
        self.live
    }

    /// A block for `layout`, or null if there is none (an unserved layout,
    /// or memory that cannot grow); only a block handed out is counted.
    ///
    /// # Safety
    /// The memory's addresses from its end on, as it grows, must be ours to
    /// write (true of wasm linear memory above what the program placed
    /// there), and every block given back to [`Heap::dealloc`] must have
    /// come from this heap with the same layout.
    pub unsafe fn alloc(&mut self, layout: Layout) -> *mut u8 {
        // `get`, not indexing: no panic path in the wasm (class_of keeps
        // the class in range anyway).
        let Some(class) = class_of(layout) else {
            return null_mut();
        };
        let Some(&head) = self.free.get(class) else {
            return null_mut();
        };
        let block = if head == 0 {
            self.cut(class_size(class))
        } else {
            // SAFETY: a freed block of this class holds the address of the
            // next (written by dealloc), and is at least 8 bytes, aligned.
            let next = unsafe { (head as *const usize).read() };
            if let Some(slot) = self.free.get_mut(class) {
                *slot = next;
            }
            head as *mut u8
        };
        if !block.is_null() {
            self.live += class_size(class);
        }
        block
    }

    /// Takes `block` back for reuse by its class.
    ///
    /// # Safety
    /// `block` came from [`Heap::alloc`] of this heap with this `layout` and
    /// is not used after this.
    pub unsafe fn dealloc(&mut self, block: *mut u8, layout: Layout) {
        let Some(class) = class_of(layout) else {
            return;
        };
        if let Some(slot) = self.free.get_mut(class) {
            // SAFETY: the block is ours again, at least 8 bytes and aligned
            // to at least 8 (its class is 8 bytes or more).
            unsafe { (block as *mut usize).write(*slot) };
            *slot = block as usize;
            self.live -= class_size(class);
        }
    }

    /// A new block of `size` (a class's) from the end of memory, aligned to
    /// the largest power of two that divides `size`, up to [`MAX_ALIGN`];
    /// null if memory cannot grow.
    fn cut(&mut self, size: usize) -> *mut u8 {
        if self.end == 0 {
            self.end = self.memory.end();
            self.next = self.end;
        }
        let align = MAX_ALIGN.min(1 << size.trailing_zeros());
        let Some(start) = self.next.checked_add(align - 1).map(|a| a & !(align - 1)) else {
            return null_mut();
        };
        let Some(end) = start.checked_add(size) else {
            return null_mut();
        };
        if end > self.end {
            let pages = (end - self.end).div_ceil(PAGE);
            if !self.memory.grow(pages) {
                return null_mut();
            }
            self.end += pages * PAGE;
        }
        self.next = end;
        start as *mut u8
    }
}
