//! Unit tests of `numeric`.
use super::*;

fn round_trip(s: &str) -> String {
    let n = Numeric::parse(s).unwrap();
    let (w, sign, d, g) = n.encode();
    Numeric::decode(w, sign, d, &g).0
}

#[test]
fn encodes_and_decodes_exactly() {
    for s in [
        "0",
        "1",
        "9999",
        "10000",
        "123456789",
        "0.5",
        "1.0001",
        "10000.0001",
        "0.000000000000000001",
        "-42.5",
        "1000000000000000000",
        "12345678901234567890.123456789012345678",
    ] {
        assert_eq!(round_trip(s), s, "{s}");
    }
    // Leading zeros are not significant.
    assert_eq!(round_trip("007"), "7");
}

#[test]
fn refuses_what_is_not_a_decimal() {
    for s in ["", "-", "1e5", "+1", "1.", ".5", "12a", "NaN"] {
        assert!(Numeric::parse(s).is_err(), "{s}");
    }
}
