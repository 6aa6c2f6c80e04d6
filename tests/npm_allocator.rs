//! The npm package's size-class heap (`src/js/size_classes.rs`, included as
//! it is) at its edges, natively, over an arena that stands in for the wasm's
//! linear memory: alignment of every layout it serves, over-aligned layouts
//! served by a larger class, the classes between powers of two, refusals
//! that hand out and count nothing, reuse of freed blocks, and blocks that
//! never overlap.

#![cfg(not(target_arch = "wasm32"))]

#[allow(dead_code)]
#[path = "../src/js/size_classes.rs"]
mod size_classes;

use proptest::prelude::*;
use size_classes::{class_of, class_size, Heap, Memory, PAGE};
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

/// The bytes of the block that serves `size` at `align`.
fn block_size(size: usize, align: usize) -> Option<usize> {
    class_of(layout(size, align)).map(class_size)
}

#[test]
fn a_class_covers_the_size_and_the_alignment() {
    assert_eq!(block_size(1, 1), Some(8), "8 bytes at least");
    assert_eq!(block_size(8, 8), Some(8));
    assert_eq!(block_size(9, 1), Some(16));
    // Over-aligned: size 8, align 16 needs a 16-byte block (16-aligned).
    assert_eq!(block_size(8, 16), Some(16));
    assert_eq!(block_size(1, 16), Some(16));
    assert_eq!(block_size(8, 32), None, "above the largest alignment");
    assert_eq!(block_size(1 << 31, 8), Some(1 << 31));
    assert_eq!(
        block_size((1 << 31) + 1, 8),
        None,
        "beyond the largest class"
    );
}

#[test]
fn three_quarters_of_a_power_of_two_is_a_class_from_24_on() {
    let served: Vec<usize> = [17, 24, 25, 33, 48, 49, 97, 300, 384, 385, 472]
        .iter()
        .map(|&size| block_size(size, 8).unwrap())
        .collect();
    assert_eq!(served, [24, 24, 32, 48, 48, 64, 128, 384, 384, 512, 512]);
    assert_eq!(block_size(12, 4), Some(16), "no class between 8 and 16");
    assert_eq!(block_size(20, 16), Some(32), "24 is not 16-aligned");
    assert_eq!(block_size(40, 16), Some(48), "48 is");
    assert_eq!(block_size(3 << 29, 8), Some(3 << 29));
}

#[test]
fn every_class_is_served_by_its_own_size_and_sizes_grow() {
    let sizes: Vec<usize> = (0..56).map(class_size).collect();
    assert!(sizes.windows(2).all(|pair| pair[0] < pair[1]));
    for (class, &size) in sizes.iter().enumerate() {
        assert_eq!(class_of(layout(size, 8)), Some(class), "{size}");
        assert_eq!(
            class_of(layout(size - 1, 8)).map(|c| c <= class),
            Some(true)
        );
        if class > 0 {
            assert_eq!(class_of(layout(sizes[class - 1] + 1, 8)), Some(class));
        }
    }
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
    let again = unsafe { heap.alloc(layout(20, 8)) };
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
            let extent = class_size(class_of(layout).unwrap());
            for (other, other_layout) in &live {
                let other_extent = class_size(class_of(*other_layout).unwrap());
                prop_assert!(block + extent <= *other || other + other_extent <= block, "overlap");
            }
            live.push((block, layout));
        }
        let expected: usize = live.iter().map(|(_, l)| class_size(class_of(*l).unwrap())).sum();
        prop_assert_eq!(heap.live(), expected);
    }
}
