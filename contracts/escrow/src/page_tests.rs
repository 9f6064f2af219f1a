//! Raw paging must give what cw-storage-plus's typed iteration gives, for every key layout the
//! queries page over: the same entries, in the same order, from the same `start_after`.

use cosmwasm_std::testing::MockStorage;
use cosmwasm_std::{from_json, Addr, Decimal256, Order, Uint256};
use cw_storage_plus::Bound;

use super::{page, prefix_of, push_part, KeyReader};
use crate::msg::{AccountState, DepositSource, PaymentState, Resources, Scope};
use crate::state::{
    Account, Allowance, Deposit, Payment, ACCOUNTS, ALLOWANCES, DEPOSITOR_ACCOUNTS, DEPOSITS,
    PAYMENTS, PROVIDER_PAYMENTS,
};

/// Addresses that are prefixes of one another and of different lengths, so that their
/// length-prefixed keys interleave.
fn addrs() -> Vec<Addr> {
    [
        "a",
        "ab",
        "b",
        "abc",
        "cosmwasm1zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz",
    ]
    .iter()
    .map(|a| Addr::unchecked(*a))
    .collect()
}

/// Heights, ids and dseqs at the byte boundaries (0, 0xff, 0x100, all 0xff bytes).
const NUMS: [u64; 6] = [0, 1, 255, 256, 1 << 40, u64::MAX];

/// Limits to page with: the default (10), a tiny one, one above the cap (30).
const LIMITS: [Option<u32>; 3] = [None, Some(2), Some(100)];

fn deposit(n: u64) -> Deposit {
    Deposit {
        depositor: Addr::unchecked("d"),
        source: DepositSource::Funds,
        amount: Uint256::from(n),
        deposited: Uint256::from(n),
        height: n,
    }
}

fn account(owner: &Addr, dseq: u64) -> Account {
    Account {
        owner: owner.clone(),
        dseq,
        denom: "uakt".into(),
        state: AccountState::Open,
        opened_at: 0,
        settled_at: 0,
        settled_time: 0,
        balance: Uint256::zero(),
        deposit_head: 0,
        deposit_next: 0,
        open_payments: vec![],
        next_payment_id: 0,
        rate: Decimal256::zero(),
        overdraw: None,
        closed_at: None,
        total_deposited: Uint256::zero(),
        total_settled: Uint256::zero(),
        consume_pending: Uint256::zero(),
    }
}

fn payment(id: u64) -> Payment {
    Payment {
        id,
        provider: Addr::unchecked("p"),
        rate: Decimal256::one(),
        resources: Resources {
            gpu_model: "h100".into(),
            gpu_count: 1,
        },
        state: PaymentState::Open,
        opened_at: 0,
        carry: Decimal256::zero(),
        withdrawable: Uint256::zero(),
        debt: Uint256::zero(),
        withdrawn: Uint256::zero(),
        closed_at: None,
        close_reason: None,
        unbooked_blocks: 0,
        unbooked_value: Decimal256::zero(),
    }
}

/// Every start to page from: none, each existing key and the keys between them.
fn starts<K: Clone>(keys: &[K], between: impl Fn(&K) -> K) -> Vec<Option<K>> {
    let mut starts = vec![None];
    for k in keys {
        starts.push(Some(k.clone()));
        starts.push(Some(between(k)));
    }
    starts
}

#[test]
fn u64_keys_under_a_composite_prefix_page_as_typed() {
    let mut storage = MockStorage::new();
    for owner in addrs() {
        for dseq in NUMS {
            for seq in NUMS {
                DEPOSITS
                    .save(&mut storage, (&owner, dseq, seq), &deposit(seq))
                    .unwrap();
                PAYMENTS
                    .save(&mut storage, (&owner, dseq, seq), &payment(seq))
                    .unwrap();
            }
        }
    }
    let mut checked = 0;
    for owner in addrs() {
        for dseq in NUMS {
            for start in starts(&NUMS, |n| n.saturating_add(1)) {
                for limit in LIMITS {
                    let typed: Vec<(u64, Deposit)> = DEPOSITS
                        .prefix((&owner, dseq))
                        .range(
                            &storage,
                            start.map(Bound::exclusive),
                            None,
                            Order::Ascending,
                        )
                        .take(supercloud_std::page_limit(limit))
                        .collect::<Result<_, _>>()
                        .unwrap();
                    let key = DEPOSITS.key((&owner, dseq, 0));
                    let raw: Vec<(u64, Deposit)> = page(
                        &storage,
                        prefix_of(&key, 8),
                        start.map(|s| s.to_be_bytes().to_vec()),
                        limit,
                    )
                    .into_iter()
                    .map(|(k, v)| {
                        let seq = KeyReader::new(&k).u64(false).unwrap();
                        (seq, from_json(&v).unwrap())
                    })
                    .collect();
                    assert_eq!(raw, typed, "owner {owner} dseq {dseq} after {start:?}");
                    checked += typed.len();

                    let typed: Vec<u64> = PAYMENTS
                        .prefix((&owner, dseq))
                        .keys(
                            &storage,
                            start.map(Bound::exclusive),
                            None,
                            Order::Ascending,
                        )
                        .take(supercloud_std::page_limit(limit))
                        .collect::<Result<_, _>>()
                        .unwrap();
                    let key = PAYMENTS.key((&owner, dseq, 0));
                    let raw: Vec<u64> = page(
                        &storage,
                        prefix_of(&key, 8),
                        start.map(|s| s.to_be_bytes().to_vec()),
                        limit,
                    )
                    .into_iter()
                    .map(|(_, v)| from_json::<Payment>(&v).unwrap().id)
                    .collect();
                    assert_eq!(raw, typed);
                }
            }
        }
    }
    assert!(checked > 1_000, "the pages were not empty");
}

#[test]
fn accounts_of_an_owner_page_as_typed() {
    let mut storage = MockStorage::new();
    for owner in addrs() {
        for dseq in NUMS {
            ACCOUNTS
                .save(&mut storage, (&owner, dseq), &account(&owner, dseq))
                .unwrap();
        }
    }
    for owner in addrs() {
        for start in starts(&NUMS, |n| n.saturating_add(1)) {
            for limit in LIMITS {
                let typed: Vec<u64> = ACCOUNTS
                    .prefix(&owner)
                    .keys(
                        &storage,
                        start.map(Bound::exclusive),
                        None,
                        Order::Ascending,
                    )
                    .take(supercloud_std::page_limit(limit))
                    .collect::<Result<_, _>>()
                    .unwrap();
                let key = ACCOUNTS.key((&owner, 0));
                let raw: Vec<u64> = page(
                    &storage,
                    prefix_of(&key, 8),
                    start.map(|s| s.to_be_bytes().to_vec()),
                    limit,
                )
                .into_iter()
                .map(|(_, v)| {
                    let a: Account = from_json(&v).unwrap();
                    assert_eq!(a.owner, owner);
                    a.dseq
                })
                .collect();
                assert_eq!(raw, typed);
            }
        }
    }
}

#[test]
fn depositor_and_provider_indexes_page_as_typed() {
    let mut storage = MockStorage::new();
    for who in addrs() {
        for owner in addrs() {
            for dseq in NUMS {
                DEPOSITOR_ACCOUNTS
                    .save(&mut storage, (&who, &owner, dseq), &())
                    .unwrap();
                for id in [0, 255, u64::MAX] {
                    PROVIDER_PAYMENTS
                        .save(&mut storage, (&who, &owner, (dseq, id)), &())
                        .unwrap();
                }
            }
        }
    }
    let refs: Vec<(Addr, u64)> = addrs()
        .into_iter()
        .flat_map(|o| NUMS.map(|d| (o.clone(), d)))
        .collect();
    for who in addrs() {
        for start in starts(&refs, |(o, d)| (o.clone(), d.saturating_add(1))) {
            for limit in LIMITS {
                let bound = start.as_ref().map(|(o, d)| Bound::exclusive((o, *d)));
                let typed: Vec<(Addr, u64)> = DEPOSITOR_ACCOUNTS
                    .sub_prefix(&who)
                    .keys(&storage, bound, None, Order::Ascending)
                    .take(supercloud_std::page_limit(limit))
                    .collect::<Result<_, _>>()
                    .unwrap();
                let key = DEPOSITOR_ACCOUNTS.key((&who, &Addr::unchecked(""), 0));
                let start_raw = start.as_ref().map(|(o, d)| {
                    let mut s = vec![];
                    push_part(&mut s, o.as_bytes());
                    s.extend_from_slice(&d.to_be_bytes());
                    s
                });
                let raw: Vec<(Addr, u64)> = page(&storage, prefix_of(&key, 10), start_raw, limit)
                    .into_iter()
                    .map(|(k, _)| {
                        let mut r = KeyReader::new(&k);
                        (r.addr().unwrap(), r.u64(false).unwrap())
                    })
                    .collect();
                assert_eq!(raw, typed, "{who} after {start:?}");
            }
        }
        let pays: Vec<(Addr, (u64, u64))> = refs
            .iter()
            .flat_map(|(o, d)| [0, 255, u64::MAX].map(|id| (o.clone(), (*d, id))))
            .collect();
        for start in starts(&pays, |(o, (d, id))| {
            (o.clone(), (*d, id.saturating_add(1)))
        }) {
            let limit = Some(7);
            let bound = start.as_ref().map(|(o, k)| Bound::exclusive((o, *k)));
            let typed: Vec<(Addr, (u64, u64))> = PROVIDER_PAYMENTS
                .sub_prefix(&who)
                .keys(&storage, bound, None, Order::Ascending)
                .take(supercloud_std::page_limit(limit))
                .collect::<Result<_, _>>()
                .unwrap();
            let key = PROVIDER_PAYMENTS.key((&who, &Addr::unchecked(""), (0, 0)));
            let start_raw = start.as_ref().map(|(o, (d, id))| {
                let mut s = vec![];
                push_part(&mut s, o.as_bytes());
                push_part(&mut s, &d.to_be_bytes());
                s.extend_from_slice(&id.to_be_bytes());
                s
            });
            let raw: Vec<(Addr, (u64, u64))> =
                page(&storage, prefix_of(&key, 20), start_raw, limit)
                    .into_iter()
                    .map(|(k, _)| {
                        let mut r = KeyReader::new(&k);
                        (
                            r.addr().unwrap(),
                            (r.u64(true).unwrap(), r.u64(false).unwrap()),
                        )
                    })
                    .collect();
            assert_eq!(raw, typed, "{who} after {start:?}");
        }
    }
}

#[test]
fn allowances_of_a_granter_page_as_typed() {
    let mut storage = MockStorage::new();
    let denoms = [
        "",
        "u",
        "uakt",
        "ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2",
    ];
    let allowance = Allowance {
        scope: Scope::Any,
        balance: Uint256::one(),
        expires_at: None,
    };
    for granter in addrs() {
        for grantee in addrs() {
            for denom in denoms {
                ALLOWANCES
                    .save(&mut storage, (&granter, &grantee, denom), &allowance)
                    .unwrap();
            }
        }
    }
    let keys: Vec<(Addr, String)> = addrs()
        .into_iter()
        .flat_map(|g| denoms.map(|d| (g.clone(), d.to_string())))
        .collect();
    for granter in addrs() {
        for start in starts(&keys, |(g, d)| (g.clone(), format!("{d}a"))) {
            for limit in LIMITS {
                let bound = start
                    .as_ref()
                    .map(|(g, d)| Bound::exclusive((g, d.as_str())));
                let typed: Vec<(Addr, String)> = ALLOWANCES
                    .sub_prefix(&granter)
                    .keys(&storage, bound, None, Order::Ascending)
                    .take(supercloud_std::page_limit(limit))
                    .collect::<Result<_, _>>()
                    .unwrap();
                let key = ALLOWANCES.key((&granter, &Addr::unchecked(""), ""));
                let start_raw = start.as_ref().map(|(g, d)| {
                    let mut s = vec![];
                    push_part(&mut s, g.as_bytes());
                    s.extend_from_slice(d.as_bytes());
                    s
                });
                let raw: Vec<(Addr, String)> = page(&storage, prefix_of(&key, 2), start_raw, limit)
                    .into_iter()
                    .map(|(k, v)| {
                        assert_eq!(from_json::<Allowance>(&v).unwrap(), allowance);
                        let mut r = KeyReader::new(&k);
                        let grantee = r.addr().unwrap();
                        (grantee, r.rest_str().unwrap())
                    })
                    .collect();
                assert_eq!(raw, typed, "{granter} after {start:?}");
            }
        }
    }
}

#[test]
fn malformed_keys_are_errors_not_panics() {
    assert!(KeyReader::new(&[0, 5, b'a']).part().is_err());
    assert!(KeyReader::new(&[1, 2, 3]).u64(false).is_err());
    assert!(KeyReader::new(&[0, 2, 1, 2]).u64(true).is_err());
    assert!(KeyReader::new(&[0, 1, 0xff]).addr().is_err());
    assert!(KeyReader::new(&[0xff]).rest_str().is_err());
    assert_eq!(prefix_of(&[1, 2], 8), &[] as &[u8]);
}
