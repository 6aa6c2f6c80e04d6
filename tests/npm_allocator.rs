//! The npm package's size-class heap (`src/js/size_classes.rs`, included as
//! it is) at its edges, natively, over an arena that stands in for the wasm's
//! linear memory: alignment of every layout it serves, over-aligned layouts
//! served by a larger class, refusals that hand out and count nothing, reuse
//! of freed blocks, and blocks that never overlap.

#![cfg(not(target_arch = "wasm32"))]

#[allow(dead_code)]
#[path = "../src/js/size_classes.rs"]
mod size_classes;

use proptest::prelude::*;
use size_classes::{class_of, Heap, Memory, PAGE};
use std::alloc::Layout;

/// Memory of up to `capacity` pages inside a real allocation, starting with none.
struct Arena {
    /// Owns the bytes the heap writes; never read directly.
    _storage: Vec<u8>,
    start: usize,
    pages: usize,
    capacity: usize,
}

impl Arena {
    fn new(capacity: usize) -> Arena {
        let storage = vec![0u8; (capacity + 1) * PAGE];
        let start = (storage.as_ptr() as usize).next_multiple_of(PAGE);
        Arena {
            _storage: storage,
            start,
            pages: 0,
            capacity,
        }
    }
}

impl Memory for Arena {
    fn end(&self) -> usize {
        self.start + self.pages * PAGE
    }

    fn grow(&mut self, pages: usize) -> bool {
        if self.pages + pages > self.capacity {
            return false;
        }
        self.pages += pages;
        true
    }
}

fn layout(size: usize, align: usize) -> Layout {
    Layout::from_size_align(size, align).unwrap()
}

#[test]
fn a_class_covers_the_size_and_the_alignment() {
    assert_eq!(class_of(layout(1, 1)), Some(3), "8 bytes at least");
    assert_eq!(class_of(layout(8, 8)), Some(3));
    assert_eq!(class_of(layout(9, 1)), Some(4));
    // Over-aligned: size 8, align 16 needs a 16-byte block (16-aligned).
    assert_eq!(class_of(layout(8, 16)), Some(4));
    assert_eq!(class_of(layout(1, 16)), Some(4));
    assert_eq!(class_of(layout(8, 32)), None, "above the largest alignment");
    assert_eq!(class_of(layout(1 << 31, 8)), Some(31));
    assert_eq!(
        class_of(layout((1 << 31) + 1, 8)),
        None,
        "beyond the largest class"
    );
}

#[test]
fn over_aligned_layouts_get_aligned_blocks() {
    let mut heap = Heap::new(Arena::new(4));
    for _ in 0..100 {
        // Misalign the end of the heap on purpose, then ask for 16-aligned.
        let small = unsafe { heap.alloc(layout(1, 1)) };
        let aligned = unsafe { heap.alloc(layout(8, 16)) };
        assert!(!small.is_null() && !aligned.is_null());
        assert_eq!(aligned as usize % 16, 0, "{aligned:?}");
    }
}

#[test]
fn a_refused_allocation_hands_out_and_counts_nothing() {
    let mut heap = Heap::new(Arena::new(1));
    let block = unsafe { heap.alloc(layout(PAGE / 2, 8)) };
    assert!(!block.is_null());
    assert_eq!(heap.live(), PAGE / 2);
    // More than the arena can grow to.
    let refused = unsafe { heap.alloc(layout(PAGE, 8)) };
    assert!(refused.is_null());
    assert_eq!(heap.live(), PAGE / 2, "a refusal is not counted");
    let unserved = unsafe { heap.alloc(layout(8, 64)) };
    assert!(unserved.is_null());
    assert_eq!(heap.live(), PAGE / 2);
    unsafe { heap.dealloc(block, layout(PAGE / 2, 8)) };
    assert_eq!(heap.live(), 0);
}

#[test]
fn a_freed_block_is_reused_by_its_class() {
    let mut heap = Heap::new(Arena::new(1));
    let first = unsafe { heap.alloc(layout(24, 8)) };
    unsafe { heap.dealloc(first, layout(24, 8)) };
    let again = unsafe { heap.alloc(layout(32, 8)) };
    assert_eq!(first, again, "the same class takes the freed block");
    let other = unsafe { heap.alloc(layout(24, 8)) };
    assert_ne!(other, again);
}

proptest! {
    /// Any sequence of allocations and frees: every block aligned as asked,
    /// none overlapping a live one, the live count the sum of live classes.
    #[test]
    fn blocks_are_aligned_and_never_overlap(steps in prop::collection::vec((1usize..3000, 0u32..5, any::<bool>()), 1..200)) {
        let mut heap = Heap::new(Arena::new(64));
        let mut live: Vec<(usize, Layout)> = Vec::new();
        for (size, align_power, free_one) in steps {
            if free_one && !live.is_empty() {
                let (block, layout) = live.swap_remove(size % live.len());
                unsafe { heap.dealloc(block as *mut u8, layout) };
                continue;
            }
            let layout = layout(size, 1 << align_power);
            let block = unsafe { heap.alloc(layout) } as usize;
            prop_assert!(block != 0);
            prop_assert_eq!(block % layout.align(), 0);
            let extent = 1usize << class_of(layout).unwrap();
            for (other, other_layout) in &live {
                let other_extent = 1usize << class_of(*other_layout).unwrap();
                prop_assert!(block + extent <= *other || other + other_extent <= block, "overlap");
            }
            live.push((block, layout));
        }
        let expected: usize = live.iter().map(|(_, l)| 1usize << class_of(*l).unwrap()).sum();
        prop_assert_eq!(heap.live(), expected);
    }
}
