//! Reading the common JSON floats without the platform: when a number's
//! digits fit in 53 bits and its power of ten is at most 22 either way, both
//! are exact doubles and one IEEE multiplication or division of them is the
//! correctly rounded value (Clinger's fast path). Prices, coordinates and
//! ratios are like that; the rest go to [`super::Floats::parse`], which
//! costs a crossing into JavaScript.

/// The largest integer below which every integer is an exact double.
const EXACT_DIGITS: u64 = 1 << 53;

/// The largest power of ten that is an exact double.
const EXACT_POWER: u64 = 22;

/// `digits × 10^power`, if the fast path gives it exactly.
pub(super) fn exact_float(digits: u64, power: i64) -> Option<f64> {
    let steps = power.unsigned_abs();
    if digits > EXACT_DIGITS || steps > EXACT_POWER {
        return None;
    }
    // Each step is an exact double: 10^k for k ≤ 22 is.
    let scale = (0..steps).fold(1.0_f64, |scale, _| scale * 10.0);
    let value = digits as f64;
    Some(if power < 0 {
        value / scale
    } else {
        value * scale
    })
}
