use cosmwasm_schema::cw_serde;
use cosmwasm_std::{from_json, to_json_string, Uint256};

fn seven() -> u32 {
    7
}

map_struct! {
    /// The type under test.
    pub struct Sample {
        pub id: u64,
        pub amount: Uint256,
        pub note: Option<String>,
        #[serde(default = "seven")]
        pub decimals: u32 = seven(),
    }
}

/// What `#[cw_serde]` derives for the same fields.
#[cw_serde]
struct Derived {
    id: u64,
    amount: Uint256,
    note: Option<String>,
    #[serde(default = "seven")]
    decimals: u32,
}

fn both(json: &str) -> (Result<Sample, String>, Result<Derived, String>) {
    (
        from_json::<Sample>(json).map_err(|e| e.to_string()),
        from_json::<Derived>(json).map_err(|e| e.to_string()),
    )
}

#[test]
fn accepts_what_the_derive_accepts() {
    for json in [
        r#"{"id":1,"amount":"5","note":"x","decimals":6}"#,
        // Any order; unknown fields ignored; null and absent options; absent default.
        r#"{"decimals":6,"amount":"5","id":1,"extra":{"a":[1,2]}}"#,
        r#"{"id":1,"amount":"5","note":null}"#,
    ] {
        let (ours, derived) = both(json);
        let (ours, derived) = (ours.unwrap(), derived.unwrap());
        assert_eq!(
            (ours.id, ours.amount, ours.note, ours.decimals),
            (derived.id, derived.amount, derived.note, derived.decimals),
            "{json}"
        );
    }
    let s: Sample = from_json(r#"{"id":1,"amount":"5"}"#).unwrap();
    assert_eq!((s.note, s.decimals), (None, 7));
}

#[test]
fn refuses_what_the_derive_refuses() {
    for (json, says) in [
        (r#"{"amount":"5"}"#, "missing field `id`"),
        (r#"{"id":1,"id":2,"amount":"5"}"#, "duplicate field `id`"),
        (r#"{"id":"one","amount":"5"}"#, "invalid type"),
        (r#"{"id":1,"amount":"5","decimals":null}"#, "invalid type"),
    ] {
        let (ours, derived) = both(json);
        let ours = ours.unwrap_err();
        assert!(ours.contains(says), "{json}: {ours}");
        assert!(derived.is_err(), "{json}");
    }
    // The array form the derive also takes is not accepted (nobody sends it).
    let err = from_json::<Sample>(r#"[1,"5",null,6]"#).unwrap_err();
    assert!(err.to_string().contains("struct Sample"), "{err}");
}

#[test]
fn serializes_like_the_derive() {
    let s = Sample {
        id: 1,
        amount: Uint256::from(5u8),
        note: None,
        decimals: 6,
    };
    let d = Derived {
        id: 1,
        amount: Uint256::from(5u8),
        note: None,
        decimals: 6,
    };
    assert_eq!(to_json_string(&s).unwrap(), to_json_string(&d).unwrap());
    assert_eq!(from_json::<Sample>(to_json_string(&s).unwrap()).unwrap(), s);
}
