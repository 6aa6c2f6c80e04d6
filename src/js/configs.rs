//! Cores made from the same options share one configuration: the settings
//! are 128 bytes of each core otherwise (see `SharedConfig`), and a process
//! that opens thousands of sockets usually gives them all the same options.

use super::abi::option;
use super::handle::Handle;
use super::single_thread::SingleThreaded;
use crate::core::machine::SharedConfig;

/// The bits of the options as the class wrote them (NaN for an option not
/// given), the seed's slot zeroed: each core has its own seed, which is not
/// part of the configuration.
pub type OptionsKey = [u64; option::COUNT];

/// The configuration made last from options alone, and those options.
static LAST: SingleThreaded<Option<(OptionsKey, SharedConfig<Handle>)>> = SingleThreaded::new(None);

/// What identifies a configuration made from `options` alone.
pub fn key_of(options: &[f64; option::COUNT]) -> OptionsKey {
    let mut key = options.map(f64::to_bits);
    key[option::SEED] = 0;
    key
}

/// The configuration last made from the options of `key`, if it was the last made.
pub fn made_from(key: &OptionsKey) -> Option<SharedConfig<Handle>> {
    // SAFETY: a lookup; nothing calls out.
    unsafe {
        LAST.with(|last| {
            last.as_ref()
                .filter(|(made_from, _)| made_from == key)
                .map(|(_, shared)| shared.clone())
        })
    }
}

/// Keeps `shared`, made from the options of `key`, for the next core with the same options.
pub fn remember(key: OptionsKey, shared: &SharedConfig<Handle>) {
    // SAFETY: a store; the configuration it replaces is dropped inside, and
    // dropping one calls nothing out (its readers are the defaults).
    unsafe { LAST.with(|last| *last = Some((key, shared.clone()))) }
}
