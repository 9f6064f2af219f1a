//! Tests of the generic decoding: the leaner number parsers against cosmwasm-std's, and the
//! derived-compatible forms against the strict ones. The contracts' tests decode their own types
//! against `#[cw_serde]` twins.

use cosmwasm_std::{Decimal256, Uint128, Uint256};

use crate::{FromValue, Value, WireError};

/// A struct decoded in the derived-compatible forms.
#[derive(Debug, PartialEq)]
struct Loose {
    id: u64,
    note: Option<String>,
}
crate::wire_struct!(Loose { id, note });

/// The same struct decoded strictly.
#[derive(Debug, PartialEq)]
struct Strict {
    id: u64,
    note: Option<String>,
}
crate::object_struct!(Strict { id, note });

/// A strict enum with a struct variant and a newtype variant.
#[derive(Debug, PartialEq)]
enum StrictMsg {
    Confirm { id: u64 },
    Wrap(Strict),
}
crate::object_enum!(StrictMsg {
    "confirm" => Confirm { id },
    "wrap" => Wrap(),
});

fn obj(entries: &[(&str, Value)]) -> Value {
    Value::Map(
        entries
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
    )
}

/// Both forms take an object with fields in any order, unknown fields ignored, an absent `Option`.
#[test]
fn objects_decode_in_both_forms() {
    let v = obj(&[("x", Value::Bool(true)), ("id", Value::Uint(7))]);
    assert_eq!(
        Loose::from_value(v.clone()),
        Ok(Loose { id: 7, note: None })
    );
    assert_eq!(Strict::from_value(v), Ok(Strict { id: 7, note: None }));
    let dup = obj(&[("id", Value::Uint(1)), ("id", Value::Uint(2))]);
    assert_eq!(Strict::from_value(dup), Err(WireError::Duplicate("id")));
}

/// Only the derived-compatible form takes the array of field values (every field, `Option`s too).
#[test]
fn only_the_loose_form_takes_field_arrays() {
    let arr = Value::Seq(vec![Value::Uint(3), Value::Str("n".into())]);
    assert_eq!(
        Loose::from_value(arr.clone()),
        Ok(Loose {
            id: 3,
            note: Some("n".into())
        })
    );
    assert_eq!(
        Strict::from_value(arr).unwrap_err().to_string(),
        "invalid type: an array, expected an object"
    );
    let short = Value::Seq(vec![Value::Uint(3)]);
    assert_eq!(Loose::from_value(short), Err(WireError::Missing("note")));
}

/// The strict enum takes only `{"tag": body}` with one key; the tag must be known.
#[test]
fn strict_enums_take_one_key_objects_only() {
    let ok = obj(&[("confirm", obj(&[("id", Value::Uint(1))]))]);
    assert_eq!(StrictMsg::from_value(ok), Ok(StrictMsg::Confirm { id: 1 }));
    let wrapped = obj(&[("wrap", obj(&[("id", Value::Uint(2))]))]);
    assert_eq!(
        StrictMsg::from_value(wrapped),
        Ok(StrictMsg::Wrap(Strict { id: 2, note: None }))
    );
    let bare = StrictMsg::from_value(Value::Str("confirm".into())).unwrap_err();
    assert_eq!(
        bare.to_string(),
        "invalid type: a string, expected an object"
    );
    let two = obj(&[("confirm", obj(&[])), ("wrap", obj(&[]))]);
    assert!(StrictMsg::from_value(two)
        .unwrap_err()
        .to_string()
        .contains("exactly one key"));
    let unknown = obj(&[("nope", obj(&[]))]);
    assert_eq!(
        StrictMsg::from_value(unknown),
        Err(WireError::UnknownVariant("nope".into()))
    );
    let field = obj(&[("confirm", obj(&[("id", Value::Str("1".into()))]))]);
    assert_eq!(
        StrictMsg::from_value(field).unwrap_err().to_string(),
        "id: invalid type: a string, expected an unsigned integer"
    );
}

/// A closed set takes `"name"` and `{"name": null}`; an unknown name is an invalid value.
#[test]
fn names_decode_as_string_or_unit_variant() {
    let named = |v: Value| crate::named::<bool>(v, "true or false");
    assert_eq!(named(Value::Str("true".into())), Ok(true));
    assert_eq!(named(obj(&[("false", Value::Null)])), Ok(false));
    assert_eq!(
        named(Value::Str("maybe".into())).unwrap_err().to_string(),
        "invalid value: \"maybe\", expected true or false"
    );
    assert!(named(obj(&[("true", Value::Uint(1))])).is_err());
}

/// Integers narrower than `u64` are range-checked.
#[test]
fn narrow_integers_are_range_checked() {
    assert_eq!(u16::from_value(Value::Uint(65535)), Ok(65535));
    assert_eq!(
        u16::from_value(Value::Uint(65536)).unwrap_err().to_string(),
        "invalid value: \"65536\", expected an integer up to 65535"
    );
    assert_eq!(u32::from_value(Value::Uint(1 << 32)).ok(), None);
}

/// `parse_decimal` takes exactly the strings `Decimal256::from_str` takes, with the same value.
#[test]
fn decimals_parse_as_cosmwasm_parses_them() {
    use std::str::FromStr;
    let max = Decimal256::MAX.to_string();
    let over = format!("{}0", Decimal256::MAX.to_uint_floor());
    let mut corpus = vec![
        "",
        ".",
        "0",
        "1",
        "00012",
        "1.5",
        "1.123000000",
        "0.000000000000000001",
        "0.0000000000000000001",
        "1.000000000000000000",
        "1.",
        ".5",
        "1.2.3",
        "+1",
        "1.+5",
        "-1",
        "1e3",
        " 1",
        "1 ",
        "1_000",
        "\u{ff11}",
        "0x10",
        "1.-0",
        "..",
        "1..2",
        max.as_str(),
        over.as_str(),
    ];
    let near: Vec<String> = (0..20)
        .map(|i| format!("{}.{}", "9".repeat(i), "9".repeat(20 - i)))
        .collect();
    corpus.extend(near.iter().map(String::as_str));
    for s in corpus {
        assert_eq!(
            crate::parse_decimal(s),
            Decimal256::from_str(s).ok(),
            "{s:?}"
        );
    }
}

mod decimal_props {
    use super::*;
    use proptest::prelude::*;
    use std::str::FromStr;

    proptest! {
        /// Random strings over digits, dots, signs and a space, up to 100 characters.
        #[test]
        fn any_string_parses_as_cosmwasm_parses_it(s in "[0-9.+ -]{0,100}") {
            prop_assert_eq!(crate::parse_decimal(&s), Decimal256::from_str(&s).ok());
        }

        /// Every decimal reads back from its own text.
        #[test]
        fn every_decimal_reads_back(atomics in any::<[u64; 4]>()) {
            let bytes: Vec<u8> = atomics.iter().flat_map(|a| a.to_be_bytes()).collect();
            let d = Decimal256::new(Uint256::from_be_bytes(bytes.try_into().unwrap()));
            prop_assert_eq!(crate::parse_decimal(&d.to_string()), Some(d));
        }
    }
}

/// Amounts in 128 bits take exactly the strings `Uint128::from_str` takes.
#[test]
fn uint128_parses_as_cosmwasm_parses_it() {
    use std::str::FromStr;
    for s in [
        "",
        "0",
        "01",
        "+5",
        "-1",
        " 1",
        "1.0",
        "340282366920938463463374607431768211455",
        "340282366920938463463374607431768211456",
        "\u{ff11}",
    ] {
        assert_eq!(
            Uint128::from_value(Value::Str(s.into())).ok(),
            Uint128::from_str(s).ok(),
            "{s:?}"
        );
    }
}
