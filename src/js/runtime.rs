//! What a no_std wasm needs from us: an allocator and a panic handler.
//!
//! The core reports bad input as errors and is not known to panic; if it
//! ever did, the wasm traps (`unreachable`), as a std build would.

#[global_allocator]
static ALLOCATOR: dlmalloc::GlobalDlmalloc = dlmalloc::GlobalDlmalloc;

#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}
