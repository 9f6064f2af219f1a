//! Property test: random sequences of reservations, confirmations, claims, cancels, reclamations,
//! bond movements and time advances never create or lose money. After every step the contract's
//! uakt balance == Σ unclaimed value of live reservations + Σ bonds (bonded + unbonding).

use crate::common;

use common::*;
use cosmwasm_std::{coin, Uint256};
use proptest::prelude::*;
use reservations::msg::{BondsResponse, ExecuteMsg, QueryMsg, ReservationsResponse};

const TENANTS: [&str; 2] = ["tenant", "tenant2"];
const HOSTS: [&str; 2] = ["h1", "h2"];

#[derive(Clone, Debug)]
enum Action {
    Reserve {
        tenant: usize,
        host: usize,
        offset_h: u64,
        hours: u64,
    },
    Confirm {
        id: u64,
    },
    Claim {
        id: u64,
    },
    Cancel {
        id: u64,
        by: usize,
    },
    Reclaim {
        id: u64,
    },
    EndReclaim {
        id: u64,
    },
    Bond {
        amount: u128,
    },
    Unbond {
        amount: u128,
    },
    ClaimBond,
    Slash {
        amount: u128,
    },
    Advance {
        seconds: u64,
    },
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        4 => (0..2usize, 0..2usize, 0..48u64, 1..12u64).prop_map(|(tenant, host, offset_h, hours)| Action::Reserve { tenant, host, offset_h, hours }),
        3 => (1..12u64).prop_map(|id| Action::Confirm { id }),
        3 => (1..12u64).prop_map(|id| Action::Claim { id }),
        2 => (1..12u64, 0..3usize).prop_map(|(id, by)| Action::Cancel { id, by }),
        1 => (1..12u64).prop_map(|id| Action::Reclaim { id }),
        1 => (1..12u64).prop_map(|id| Action::EndReclaim { id }),
        1 => (1..500u128).prop_map(|amount| Action::Bond { amount }),
        1 => (1..500u128).prop_map(|amount| Action::Unbond { amount }),
        1 => Just(Action::ClaimBond),
        1 => (1..300u128).prop_map(|amount| Action::Slash { amount }),
        4 => (1..20_000u64).prop_map(|seconds| Action::Advance { seconds }),
    ]
}

fn expected_holdings(s: &Suite) -> Uint256 {
    let mut sum = Uint256::zero();
    for tenant in TENANTS {
        let mut after = None;
        loop {
            let page: ReservationsResponse = s.query(&QueryMsg::ReservationsByTenant {
                tenant: s.addr(tenant).to_string(),
                start_after: after,
                limit: Some(30),
            });
            if page.reservations.is_empty() {
                break;
            }
            for r in &page.reservations {
                sum += r.reservation.held();
                assert!(r.reservation.claimed + r.reservation.refunded <= r.reservation.total);
            }
            after = page.reservations.last().map(|r| r.reservation.id);
        }
    }
    let bonds: BondsResponse = s.query(&QueryMsg::Bonds {
        start_after: None,
        limit: Some(30),
    });
    for b in bonds.bonds {
        sum += b.bond.bonded + b.bond.unbonding;
    }
    sum
}

fn apply(s: &mut Suite, a: &Action, base: u64) {
    let _ = match a {
        Action::Reserve {
            tenant,
            host,
            offset_h,
            hours,
        } => {
            let start = (base + offset_h * HOUR).max(s.now());
            let end = start + hours * HOUR;
            s.try_reserve(
                TENANTS[*tenant],
                "provider",
                HOSTS[*host],
                start,
                end,
                (*hours as u128) * 1_001,
            )
            .map(|_| ())
        }
        Action::Confirm { id } => s
            .exec("provider", &ExecuteMsg::Confirm { id: *id }, &[])
            .map(|_| ()),
        Action::Claim { id } => s
            .exec("stranger", &ExecuteMsg::Claim { id: *id }, &[])
            .map(|_| ()),
        Action::Cancel { id, by } => {
            let who = ["tenant", "provider", "stranger"][*by];
            // The tenant may be either; try both tenants for by == 0.
            let r = s.exec(
                who,
                &ExecuteMsg::Cancel {
                    id: *id,
                    reason: None,
                },
                &[],
            );
            if *by == 0 && r.is_err() {
                s.exec(
                    "tenant2",
                    &ExecuteMsg::Cancel {
                        id: *id,
                        reason: None,
                    },
                    &[],
                )
                .map(|_| ())
            } else {
                r.map(|_| ())
            }
        }
        Action::Reclaim { id } => s
            .exec(
                "provider",
                &ExecuteMsg::StartReclamation {
                    id: *id,
                    reason: String::new(),
                },
                &[],
            )
            .map(|_| ()),
        Action::EndReclaim { id } => s
            .exec("stranger", &ExecuteMsg::EndReclamation { id: *id }, &[])
            .map(|_| ()),
        Action::Bond { amount } => s
            .exec(
                "provider",
                &ExecuteMsg::PostBond {},
                &[coin(*amount, DENOM)],
            )
            .map(|_| ()),
        Action::Unbond { amount } => s
            .exec(
                "provider",
                &ExecuteMsg::RequestBondWithdrawal {
                    amount: u256(*amount),
                },
                &[],
            )
            .map(|_| ()),
        Action::ClaimBond => s
            .exec("provider", &ExecuteMsg::ClaimBond {}, &[])
            .map(|_| ()),
        Action::Slash { amount } => {
            let msg = ExecuteMsg::SlashBond {
                provider: s.addr("provider").to_string(),
                amount: u256(*amount),
                reason: "test".into(),
                reservation_id: None,
            };
            s.exec("gov", &msg, &[]).map(|_| ())
        }
        Action::Advance { seconds } => {
            s.advance(*seconds);
            Ok(())
        }
    };
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn holdings_equal_unclaimed_plus_bonds(actions in proptest::collection::vec(action(), 1..40)) {
        let mut s = Suite::new();
        // 1001 per hour: pro-rata amounts do not divide evenly.
        s.register("provider", "h1", 1_001, Some(HOUR));
        s.register("provider", "h2", 1_001, None);
        let base = s.now() + 60;
        let total0: u128 = FUNDED.iter().map(|n| s.bank(n)).sum();
        for a in &actions {
            apply(&mut s, a, base);
            let held = s.held();
            prop_assert_eq!(Uint256::from(held), expected_holdings(&s), "after {:?}", a);
            let treasury = s.bank_of(&s.addr("treasury"), DENOM);
            let total: u128 = FUNDED.iter().map(|n| s.bank(n)).sum::<u128>() + held + treasury;
            prop_assert_eq!(total, total0, "money created or lost after {:?}", a);
        }
    }
}
