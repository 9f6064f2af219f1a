use super::*;

use cosmwasm_std::{to_json_vec, QueryRequest, WasmQuery};

fn dec(s: &str) -> Decimal256 {
    s.parse().unwrap()
}

fn u(v: u128) -> Uint256 {
    Uint256::from(v)
}

#[test]
fn usd_to_tokens_floors() {
    // $2.49 at $0.50/AKT = 4.98 AKT = 4_980_000 uakt.
    assert_eq!(
        tokens_for_usd(dec("2.49"), dec("0.5"), 6).unwrap(),
        Uint256::from(4_980_000u128)
    );
    // 1 USD at 3 USD/AKT = 0.333333 AKT (floored, never rounded up).
    assert_eq!(
        tokens_for_usd(dec("1"), dec("3"), 6).unwrap(),
        Uint256::from(333_333u128)
    );
    assert!(tokens_for_usd(dec("1"), Decimal256::zero(), 6).is_err());
    assert!(tokens_for_usd(Decimal256::MAX, dec("0.000000000000000001"), 18).is_err());
}

#[test]
fn usd_value_of_tokens() {
    // 666_666 uakt at $0.50 = $0.333333.
    assert_eq!(
        usd_value(u(666_666), dec("0.5"), 6).unwrap(),
        dec("0.333333")
    );
    assert_eq!(usd_value(u(0), dec("7"), 6).unwrap(), Decimal256::zero());
    // 1 base unit of an 18-decimal token at $3 = 3e-18.
    assert_eq!(
        usd_value(u(1), dec("3"), 18).unwrap(),
        dec("0.000000000000000003")
    );
    assert!(usd_value(Uint256::MAX, dec("1"), 0).is_err());
}

#[test]
fn pro_rata_floors_and_handles_zero_total() {
    let a = Uint256::from(100u128);
    assert_eq!(
        pro_rata(a, Uint128::new(1), Uint128::new(3)).unwrap(),
        Uint256::from(33u128)
    );
    assert_eq!(
        pro_rata(a, Uint128::new(3), Uint128::new(3)).unwrap(),
        Uint256::from(100u128)
    );
    assert!(pro_rata(a, Uint128::new(1), Uint128::zero())
        .unwrap()
        .is_zero());
}

#[test]
fn payout_is_the_least_of_rule_value_cap_and_budget() {
    // Rule binds: honest provider well under the cap.
    let c = cap_payout(u(4), u(600), dec("2"), u(100)).unwrap();
    assert_eq!((c.amount, c.value_cap, c.capped), (u(4), u(1_200), false));
    // Value cap binds: 1,000 declared GPUs on a lease that moved 75 units, multiple 2.
    let c = cap_payout(u(10_000_000), u(75), dec("2"), u(10_000_000)).unwrap();
    assert_eq!((c.amount, c.value_cap, c.capped), (u(150), u(150), true));
    // Budget binds.
    let c = cap_payout(u(500), u(1_000), dec("1"), u(30)).unwrap();
    assert_eq!((c.amount, c.capped), (u(30), true));
    // The cap is floored: 1.5 × 3 = 4.5 -> 4.
    let c = cap_payout(u(9), u(3), dec("1.5"), u(9)).unwrap();
    assert_eq!((c.amount, c.value_cap), (u(4), u(4)));
    // Nothing paid by others, nothing paid by the pilot.
    let c = cap_payout(u(9), u(0), dec("100"), u(9)).unwrap();
    assert_eq!((c.amount, c.capped), (u(0), true));
    // A zero rule is not "capped".
    assert!(!cap_payout(u(0), u(0), dec("1"), u(0)).unwrap().capped);
}

#[test]
fn colluding_gain_per_unit_moved_never_exceeds_the_multiple() {
    // Whatever `due` a pair declares, amount / value <= m (checked without division:
    // amount <= m × value, computed here in u128 with the multiple as a ratio).
    for (value, m_num, m_den) in [(1u128, 1u128, 1u128), (75, 2, 1), (1_000, 3, 2), (7, 1, 3)] {
        let m = Decimal256::from_ratio(m_num, m_den);
        for due in [0u128, 1, 10, 10_000_000, u128::MAX >> 8] {
            let c = cap_payout(u(due), u(value), m, Uint256::MAX).unwrap();
            let amount = cosmwasm_std::Uint128::try_from(c.amount).unwrap().u128();
            assert!(amount * m_den <= value * m_num, "{due} {value} {m}");
            assert_eq!(amount, due.min(value * m_num / m_den));
        }
    }
}

#[test]
fn unqualified_measurement_has_no_basis() {
    let m = Measurement {
        gpu_seconds: Uint128::new(10),
        qualified: false,
        ..Measurement::default()
    };
    assert!(m.basis().is_zero());
}

#[test]
fn requests_are_what_cosmwasm_and_the_oracle_put_on_the_wire() {
    let msg = to_json_binary(&OracleQuery::Price { pair: "akt/usd" }).unwrap();
    let theirs = QueryRequest::<cosmwasm_std::Empty>::Wasm(WasmQuery::Smart {
        contract_addr: "oracle".into(),
        msg: msg.clone(),
    });
    let ours = SmartRequest::Wasm {
        smart: SmartQuery {
            contract_addr: "oracle",
            msg,
        },
    };
    assert_eq!(to_json_vec(&ours).unwrap(), to_json_vec(&theirs).unwrap());
    assert_eq!(
        to_json_binary(&OracleQuery::Price { pair: "akt/usd" }).unwrap(),
        to_json_binary(&oracle::msg::QueryMsg::Price {
            pair: "akt/usd".into()
        })
        .unwrap()
    );
}

#[test]
fn answers_are_read_from_the_sources_full_responses() {
    let work = supercloud_std::VerifiedWorkResponse {
        provider: cosmwasm_std::Addr::unchecked("p"),
        from_height: 1,
        to_height: 2,
        denom: "uakt".into(),
        value: u(5),
        gpu_model: "h100".into(),
        gpu_blocks: Uint128::new(6),
        gpu_seconds: Uint128::new(36),
    };
    let read: Work = from_json(to_json_vec(&work).unwrap()).unwrap();
    assert_eq!(
        (read.value, read.gpu_blocks, read.gpu_seconds),
        (u(5), Uint128::new(6), Uint128::new(36))
    );
    // The oracle's answer, with fields pip does not read (and may not know yet).
    let price = br#"{"pair":"akt/usd","price":"0.5","publish_time":7,"sources":1,"new":{"x":[1]}}"#;
    let read: PriceAnswer = from_json(price).unwrap();
    assert_eq!(read.price, dec("0.5"));
}
