//! Property test: random sequences of escrow actions and block advances never create or lose
//! money. After every step:
//! - the contract's bank balance == Σ remaining deposits + Σ unwithdrawn provider balances
//!   + Σ allowance balances;
//! - Σ deposited == Σ paid out to providers + Σ refunded + Σ still held by accounts;
//! - providers received exactly what payments report as withdrawn;
//! - nobody is refunded more than they deposited, and no depositor ends up richer.

use crate::common;

use std::collections::BTreeMap;

use common::*;
use cosmwasm_std::{coin, Decimal256, Uint256};
use cw_multi_test::AppResponse;
use escrow::msg::Resources;
use escrow::msg::{
    AccountResponse, AllowanceResponse, ExecuteMsg, PaymentsResponse, QueryMsg, ScopeMsg, SourceMsg,
};
use proptest::prelude::*;
use supercloud_events::escrow as ev;
use supercloud_multitest::of;

const OWNERS: [&str; 2] = ["owner", "owner2"];
const DEPOSITORS: [&str; 4] = ["alice", "bob", "carol", "dave"];
const SPONSORS: [&str; 2] = ["sponsor", "sponsor2"];
const PROVIDERS: [&str; 2] = ["provider", "provider2"];

#[derive(Clone, Debug)]
enum Action {
    Deposit {
        who: usize,
        acct: usize,
        amount: u128,
    },
    Grant {
        sponsor: usize,
        amount: u128,
    },
    AgentDeposit {
        acct: usize,
        sponsor: usize,
        amount: u128,
        attach: u128,
    },
    OpenPayment {
        acct: usize,
        provider: usize,
        rate_milli: u64,
    },
    Advance {
        blocks: u64,
    },
    Withdraw {
        acct: usize,
        payment: u64,
    },
    ClosePayment {
        acct: usize,
        payment: u64,
    },
    CloseAccount {
        acct: usize,
    },
    Refund {
        acct: usize,
    },
    Revoke {
        sponsor: usize,
    },
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        4 => (0..4usize, 0..2usize, 1..400u128).prop_map(|(who, acct, amount)| Action::Deposit { who, acct, amount }),
        1 => (0..2usize, 1..300u128).prop_map(|(sponsor, amount)| Action::Grant { sponsor, amount }),
        2 => (0..2usize, 0..2usize, 1..300u128, 0..200u128).prop_map(|(acct, sponsor, amount, attach)| Action::AgentDeposit { acct, sponsor, amount, attach }),
        2 => (0..2usize, 0..2usize, 1..20_000u64).prop_map(|(acct, provider, rate_milli)| Action::OpenPayment { acct, provider, rate_milli }),
        4 => (1..40u64).prop_map(|blocks| Action::Advance { blocks }),
        3 => (0..2usize, 0..4u64).prop_map(|(acct, payment)| Action::Withdraw { acct, payment }),
        1 => (0..2usize, 0..4u64).prop_map(|(acct, payment)| Action::ClosePayment { acct, payment }),
        1 => (0..2usize).prop_map(|acct| Action::CloseAccount { acct }),
        1 => (0..2usize).prop_map(|acct| Action::Refund { acct }),
        1 => (0..2usize).prop_map(|sponsor| Action::Revoke { sponsor }),
    ]
}

#[derive(Default)]
struct Ledger {
    deposited_by: BTreeMap<String, u128>,
    refunded_to: BTreeMap<String, u128>,
    refunded: u128,
}

impl Ledger {
    fn record(&mut self, res: &AppResponse) {
        let amount = |a: Uint256| cosmwasm_std::Uint128::try_from(a).unwrap().u128();
        for e in of::<ev::Deposited>(res) {
            *self
                .deposited_by
                .entry(e.depositor.to_string())
                .or_default() += amount(e.amount);
        }
        for e in of::<ev::Refunded>(res) {
            *self.refunded_to.entry(e.depositor.to_string()).or_default() += amount(e.amount);
            self.refunded += amount(e.amount);
        }
    }
}

fn provider_of(s: &Suite, acct: usize, payment: u64) -> Option<String> {
    let msg = QueryMsg::Payment {
        owner: s.addr(OWNERS[acct]).to_string(),
        dseq: 1,
        payment_id: payment,
    };
    s.app
        .wrap()
        .query_wasm_smart::<escrow::msg::PaymentResponse>(&s.escrow, &msg)
        .ok()
        .map(|p| p.provider.to_string())
}

fn name_of(s: &Suite, addr: &str) -> &'static str {
    PROVIDERS
        .iter()
        .find(|n| s.addr(n).as_str() == addr)
        .copied()
        .unwrap_or("stranger")
}

fn step(s: &mut Suite, ledger: &mut Ledger, action: &Action) {
    let res = match action.clone() {
        Action::Deposit { who, acct, amount } => {
            let msg = s.deposit_msg(OWNERS[acct], 1, amount, vec![]);
            s.exec(DEPOSITORS[who], &msg, &[coin(amount, DENOM)])
        }
        Action::Grant { sponsor, amount } => {
            let msg = ExecuteMsg::GrantAllowance {
                grantee: s.addr("agent").to_string(),
                scope: ScopeMsg::Any {},
                expires_at: None,
            };
            s.exec(SPONSORS[sponsor], &msg, &[coin(amount, DENOM)])
        }
        Action::AgentDeposit {
            acct,
            sponsor,
            amount,
            attach,
        } => {
            let sources = vec![
                SourceMsg::Allowance {
                    granter: s.addr(SPONSORS[sponsor]).to_string(),
                },
                SourceMsg::Funds {},
            ];
            let msg = s.deposit_msg(OWNERS[acct], 1, amount, sources);
            let funds = if attach == 0 {
                vec![]
            } else {
                vec![coin(attach, DENOM)]
            };
            s.exec("agent", &msg, &funds)
        }
        Action::OpenPayment {
            acct,
            provider,
            rate_milli,
        } => {
            let msg = ExecuteMsg::OpenPayment {
                dseq: 1,
                provider: s.addr(PROVIDERS[provider]).to_string(),
                rate: Decimal256::from_ratio(rate_milli, 1000u64),
                resources: Resources {
                    gpu_model: "h100".into(),
                    gpu_count: 1,
                },
            };
            s.exec(OWNERS[acct], &msg, &[])
        }
        Action::Advance { blocks } => {
            s.advance(blocks);
            return;
        }
        Action::Withdraw { acct, payment } => {
            let Some(provider) = provider_of(s, acct, payment) else {
                return;
            };
            let msg = s.withdraw_msg(OWNERS[acct], 1, payment);
            s.exec(name_of(s, &provider), &msg, &[])
        }
        Action::ClosePayment { acct, payment } => {
            let msg = ExecuteMsg::ClosePayment {
                owner: s.addr(OWNERS[acct]).to_string(),
                dseq: 1,
                payment_id: payment,
            };
            s.exec(OWNERS[acct], &msg, &[])
        }
        Action::CloseAccount { acct } => {
            let msg = s.close_msg(OWNERS[acct], 1);
            s.exec(OWNERS[acct], &msg, &[])
        }
        Action::Refund { acct } => {
            let msg = ExecuteMsg::Refund {
                owner: s.addr(OWNERS[acct]).to_string(),
                dseq: 1,
            };
            s.exec("stranger", &msg, &[])
        }
        Action::Revoke { sponsor } => {
            let msg = ExecuteMsg::RevokeAllowance {
                grantee: s.addr("agent").to_string(),
                denom: DENOM.into(),
            };
            s.exec(SPONSORS[sponsor], &msg, &[])
        }
    };
    // Refusals are fine (closed accounts, empty allowances...); they must move nothing, which the
    // invariants below check, since a failed transaction is rolled back as a whole.
    if let Ok(res) = res {
        ledger.record(&res);
    }
}

fn check(s: &Suite, ledger: &Ledger) {
    let (mut in_accounts, mut deposited, mut withdrawn) =
        (Uint256::zero(), Uint256::zero(), Uint256::zero());
    for owner in OWNERS {
        let acct: AccountResponse = s.query(&QueryMsg::Account {
            owner: s.addr(owner).to_string(),
            dseq: 1,
        });
        in_accounts += acct.preview.balance;
        deposited += acct.total_deposited;
        let pays: PaymentsResponse = s.query(&QueryMsg::Payments {
            owner: s.addr(owner).to_string(),
            dseq: 1,
            start_after: None,
            limit: Some(30),
        });
        for p in pays.payments {
            in_accounts += p.withdrawable;
            withdrawn += p.withdrawn;
        }
    }
    let mut in_allowances = Uint256::zero();
    for sponsor in SPONSORS {
        let q = QueryMsg::Allowance {
            granter: s.addr(sponsor).to_string(),
            grantee: s.addr("agent").to_string(),
            denom: DENOM.into(),
        };
        if let Ok(a) = s
            .app
            .wrap()
            .query_wasm_smart::<AllowanceResponse>(&s.escrow, &q)
        {
            in_allowances += a.balance;
        }
    }
    assert_eq!(
        Uint256::from(s.held()),
        in_accounts + in_allowances,
        "holdings == deposits + provider balances + allowances"
    );
    assert_eq!(
        deposited,
        withdrawn + Uint256::from(ledger.refunded) + in_accounts,
        "deposited == paid out + refunded + held"
    );
    let provider_gain: u128 = PROVIDERS.iter().map(|p| s.bank(p) - START).sum();
    assert_eq!(
        Uint256::from(provider_gain),
        withdrawn,
        "providers got exactly what was withdrawn"
    );
    for (who, refunded) in &ledger.refunded_to {
        let put_in = ledger.deposited_by.get(who).copied().unwrap_or_default();
        assert!(
            *refunded <= put_in,
            "{who} refunded {refunded} > deposited {put_in}"
        );
    }
    for who in DEPOSITORS
        .iter()
        .chain(SPONSORS.iter())
        .chain(OWNERS.iter())
        .chain(["agent"].iter())
    {
        assert!(s.bank(who) <= START, "{who} ended richer than it started");
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn money_is_conserved(actions in prop::collection::vec(action(), 1..60), grace in 0..20u64) {
        let mut s = Suite::with(Opts { grace, refund_batch: Some(2), ..Opts::default() });
        s.open("owner", 1, 100);
        s.open("owner2", 1, 0);
        let mut ledger = Ledger::default();
        ledger.deposited_by.insert(s.addr("owner").to_string(), 100);
        for action in &actions {
            step(&mut s, &mut ledger, action);
            check(&s, &ledger);
        }
    }
}
