//! The ready states carry the platform's numbers.

#![cfg(not(target_arch = "wasm32"))]

use steadysocket::ReadyState;

#[test]
fn numbers_match_the_platform_constants() {
    let table = [
        (0, ReadyState::Connecting, "CONNECTING"),
        (1, ReadyState::Open, "OPEN"),
        (2, ReadyState::Closing, "CLOSING"),
        (3, ReadyState::Closed, "CLOSED"),
    ];
    for (number, state, name) in table {
        assert_eq!(ReadyState::from_platform(number), Some(state));
        assert_eq!(state.as_platform(), number);
        assert_eq!(state.to_string(), name);
    }
    for number in [4, 255, u16::MAX] {
        assert_eq!(ReadyState::from_platform(number), None);
    }
}
