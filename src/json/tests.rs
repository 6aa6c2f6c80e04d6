//! The JSON reader and writer against serde_json, natively: random values
//! both ways, random damage to valid texts (both accept or both refuse), and
//! the typed shapes serde derives.

use super::exact_float::exact_float;
use super::{from_str, to_string, Floats, JsonError, MAX_DEPTH};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

/// Rust's own float text, where the web face asks JavaScript.
struct StdFloats;

impl Floats for StdFloats {
    fn parse(text: &str) -> f64 {
        text.parse().unwrap_or(f64::NAN)
    }

    fn write(value: f64, out: &mut String) {
        let _ = write!(out, "{value}");
    }
}

fn read<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, JsonError> {
    from_str::<T, StdFloats>(text)
}

fn write<T: Serialize>(value: &T) -> Result<String, JsonError> {
    to_string::<T, StdFloats>(value)
}

/// Equal, with numbers compared by value (`1` and `1.0` are one number).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => match (x.as_i64(), y.as_i64()) {
            (Some(x), Some(y)) => x == y,
            _ => match (x.as_u64(), y.as_u64()) {
                (Some(x), Some(y)) => x == y,
                _ => x.as_f64() == y.as_f64(),
            },
        },
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

fn any_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<u64>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        any::<String>().prop_map(Value::String),
        "[\"\\\\/\u{0}-\u{1f}\u{7f}\u{fffd}\u{1f600}a ]{0,8}".prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(any::<String>(), inner, 0..6)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// Bytes that matter to JSON's grammar, for damaging valid texts.
const SIGNIFICANT: &[char] = &[
    '"', '\\', ',', ':', '[', ']', '{', '}', '-', '+', '.', 'e', '0', '1', 'u', 'n', 't', ' ',
    '\n', '\u{1}', 'é',
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn what_serde_json_writes_reads_back_the_same(value in any_value()) {
        let text = serde_json::to_string(&value).unwrap();
        let compact: Value = read(&text).unwrap();
        prop_assert!(same(&compact, &value), "{text} read as {compact}");
        let pretty = serde_json::to_string_pretty(&value).unwrap();
        let spaced: Value = read(&pretty).unwrap();
        prop_assert!(same(&spaced, &value), "{pretty} read as {spaced}");
    }

    #[test]
    fn what_it_writes_serde_json_reads_back_the_same(value in any_value()) {
        let text = write(&value).unwrap();
        let back: Value = serde_json::from_str(&text).unwrap();
        prop_assert!(same(&back, &value), "{text} read by serde_json as {back}");
    }

    #[test]
    fn damaged_texts_are_accepted_or_refused_as_serde_json_does(
        value in any_value(),
        at in any::<prop::sample::Index>(),
        insert in prop::sample::select(SIGNIFICANT),
        delete in any::<bool>(),
    ) {
        let mut chars: Vec<char> = serde_json::to_string(&value).unwrap().chars().collect();
        let at = at.index(chars.len() + 1);
        if delete && at < chars.len() {
            chars.remove(at);
        } else {
            chars.insert(at, insert);
        }
        let text: String = chars.into_iter().collect();
        let ours = read::<Value>(&text);
        let theirs = serde_json::from_str::<Value>(&text);
        prop_assert_eq!(ours.is_ok(), theirs.is_ok(), "{:?}: ours {:?}, serde_json {:?}", text, ours, theirs);
        if let (Ok(ours), Ok(theirs)) = (ours, theirs) {
            prop_assert!(same(&ours, &theirs), "{text}: {ours} vs {theirs}");
        }
    }

    #[test]
    fn any_text_is_read_or_refused_without_a_panic(text in any::<String>()) {
        let ours = read::<Value>(&text);
        prop_assert_eq!(ours.is_ok(), serde_json::from_str::<Value>(&text).is_ok(), "{:?}", text);
    }

    #[test]
    fn the_fast_float_path_is_exact_where_it_answers(digits in 0u64..1 << 54, power in -30i64..30) {
        let text = format!("{digits}e{power}");
        if let Some(fast) = exact_float(digits, power) {
            let std: f64 = text.parse().unwrap();
            prop_assert_eq!(fast.to_bits(), std.to_bits(), "{}", text);
        }
        prop_assert_eq!(exact_float(digits, power).is_some(), digits <= 1 << 53 && power.abs() <= 22);
    }

    #[test]
    fn floats_read_as_rust_reads_them(value in any::<f64>().prop_filter("finite", |f| f.is_finite())) {
        for text in [format!("{value}"), format!("{value:e}"), format!("{value:.3}"), format!("{value:.10e}")] {
            let expected: f64 = text.parse().unwrap();
            let read: f64 = read(&text).unwrap();
            prop_assert_eq!(read.to_bits(), expected.to_bits(), "{}", text);
        }
    }

    #[test]
    fn integers_read_exactly(n in any::<i64>(), m in any::<u64>()) {
        prop_assert_eq!(read::<i64>(&n.to_string()).unwrap(), n);
        prop_assert_eq!(read::<u64>(&m.to_string()).unwrap(), m);
        prop_assert_eq!(write(&n).unwrap(), n.to_string());
        prop_assert_eq!(write(&m).unwrap(), m.to_string());
    }
}

#[test]
fn malformed_texts_are_refused_with_where() {
    for text in [
        "",
        " ",
        "{",
        "}",
        "[1,]",
        "[,1]",
        "{\"a\" 1}",
        "{\"a\":1,}",
        "{1:2}",
        "01",
        "1.",
        ".5",
        "-",
        "1e",
        "1e+",
        "+1",
        "\"\\x\"",
        "\"\\u12\"",
        "\"\\ud800\"",
        "\"\\udc00\"",
        "\"\\ud800\\u0041\"",
        "\"a\nb\"",
        "nul",
        "truth",
        "[1] x",
        "\"open",
        "1e400",
        "-1e400",
        "[1 2]",
        "NaN",
        "Infinity",
    ] {
        match read::<Value>(text) {
            Err(error) => assert!(error.0.contains("(at byte "), "{text:?}: {error}"),
            Ok(value) => panic!("{text:?} read as {value}"),
        }
    }
}

#[test]
fn everyday_floats_take_the_fast_path() {
    assert_eq!(exact_float(12_345, -2), Some(123.45));
    assert_eq!(exact_float(125, -6), Some(0.000125));
    assert_eq!(exact_float(15, 3), Some(15_000.0));
    assert_eq!(exact_float(1, 22), Some(1e22));
    // 10^23 is not an exact double, nor is 2^53 + 1: the platform decides.
    assert_eq!(exact_float(1, 23), None);
    assert_eq!(exact_float((1 << 53) + 1, 0), None);
    // `-0` is negative zero, as `JSON.parse` reads it, not the integer 0.
    assert_eq!(read::<f64>("-0").unwrap().to_bits(), (-0.0_f64).to_bits());
    assert_eq!(
        read::<f64>("-0.0e5").unwrap().to_bits(),
        (-0.0_f64).to_bits()
    );
}

#[test]
fn nesting_is_refused_past_the_limit_not_overflowing_the_stack() {
    let depth = MAX_DEPTH as usize;
    let deepest = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
    assert!(read::<Value>(&deepest).is_ok());
    let deeper = format!("{}{}", "[".repeat(depth + 1), "]".repeat(depth + 1));
    let error = read::<Value>(&deeper).unwrap_err();
    assert!(error.0.contains("nest deeper than 128"), "{error}");
    assert!(read::<Value>(&"[".repeat(100_000)).is_err());
    assert!(read::<Value>(&"{\"a\":".repeat(100_000)).is_err());
}

#[test]
fn escapes_and_surrogate_pairs_read_as_their_characters() {
    let text = r#""\"\\\/\b\f\n\r\t\u0041\u00e9\ud83d\ude00 plain""#;
    assert_eq!(
        read::<String>(text).unwrap(),
        "\"\\/\u{8}\u{c}\n\r\tAé\u{1f600} plain"
    );
    assert_eq!(
        write(&"\"\\\u{1}\u{1f}\n\u{7f}é").unwrap(),
        r#""\"\\\u0001\u001f\n\u{7f}é""#.replace("\\u{7f}", "\u{7f}")
    );
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Line {
    #[serde(rename = "type")]
    kind: String,
    nickname: String,
    #[serde(default)]
    message: String,
    at: Option<u64>,
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
enum Shape {
    Dot,
    Circle(f64),
    Segment(i32, i32),
    Box { width: u16, height: u16 },
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
enum Event {
    Join { nickname: String },
    Say { nickname: String, message: String },
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Everything {
    flag: bool,
    small: i8,
    big: u64,
    ratio: f32,
    letter: char,
    bytes: Vec<u8>,
    pair: (u8, String),
    unit: (),
    shapes: Vec<Shape>,
    by_number: BTreeMap<u32, String>,
    by_shape: HashMap<Shape, u8>,
    events: Vec<Event>,
    nothing: Option<Box<Everything>>,
}

impl std::hash::Hash for Shape {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        std::mem::discriminant(self).hash(state);
    }
}

impl Eq for Shape {}

fn everything() -> Everything {
    Everything {
        flag: true,
        small: -128,
        big: u64::MAX,
        ratio: 0.1,
        letter: 'é',
        bytes: vec![0, 255],
        pair: (7, "seven".into()),
        unit: (),
        shapes: vec![
            Shape::Dot,
            Shape::Circle(1.5),
            Shape::Segment(-1, 1),
            Shape::Box {
                width: 3,
                height: 4,
            },
        ],
        by_number: [(1, "one".into()), (20, "twenty".into())].into(),
        by_shape: [(Shape::Dot, 1)].into(),
        events: vec![
            Event::Join {
                nickname: "ann".into(),
            },
            Event::Say {
                nickname: "ann".into(),
                message: "hi".into(),
            },
        ],
        nothing: None,
    }
}

#[test]
fn derived_types_round_trip_and_match_serde_json() {
    let value = everything();
    let ours = write(&value).unwrap();
    let theirs = serde_json::to_string(&value).unwrap();
    assert_eq!(ours, theirs);
    assert_eq!(read::<Everything>(&ours).unwrap(), value);
    let nested = Everything {
        nothing: Some(Box::new(everything())),
        ..everything()
    };
    assert_eq!(
        read::<Everything>(&write(&nested).unwrap()).unwrap(),
        nested
    );
}

#[test]
fn a_line_reads_with_defaults_and_unknown_fields_skipped() {
    let line: Line =
        read(r#" {"type":"join","nickname":"bo","extra":[1,{"x":null}],"at":null} "#).unwrap();
    assert_eq!(
        line,
        Line {
            kind: "join".into(),
            nickname: "bo".into(),
            message: String::new(),
            at: None,
        }
    );
}

#[test]
fn type_errors_say_what_was_found_and_expected_and_where() {
    let error = read::<Line>(r#"{"type":"join"}"#).unwrap_err();
    assert_eq!(error.0, "missing field `nickname` (at byte 14)");
    let error = read::<Line>(r#"{"type":"join","nickname":7}"#).unwrap_err();
    assert_eq!(error.0, "found a number, expected a string (at byte 27)");
    let error = read::<u8>("300").unwrap_err();
    assert_eq!(
        error.0,
        "found a number that does not fit, expected u8 (at byte 3)"
    );
    let error = read::<Shape>(r#""Hexagon""#).unwrap_err();
    assert!(error.0.starts_with("unknown variant `Hexagon`"), "{error}");
    let error = read::<(u8, u8)>("[1,2,3]").unwrap_err();
    assert!(error.0.contains("expected `,` or `]`"), "{error}");
}

#[test]
fn values_without_a_json_form_are_write_errors_or_null() {
    let by_list: BTreeMap<Vec<u8>, u8> = [(vec![1], 1)].into();
    let error = write(&by_list).unwrap_err();
    assert!(error.0.contains("map key must be a string"), "{error}");
    assert_eq!(write(&f64::NAN).unwrap(), "null");
    assert_eq!(write(&[f32::INFINITY]).unwrap(), "[null]");
    let by_flag: BTreeMap<bool, u8> = [(true, 1)].into();
    assert_eq!(write(&by_flag).unwrap(), r#"{"true":1}"#);
}
