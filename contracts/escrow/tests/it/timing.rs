//! Outcomes never depend on when an account is touched (issues 21 and 22, DESIGN §4.1).
//!
//! The property tests drive the contract through cw-multi-test beside [`Model`], an independent
//! re-statement of the one overdraw rule in plain integers (rates in millionths of a unit per
//! block): a payment accrues `rate` every charged block and is charged the whole units of what
//! it accrued; the *exhausting block* is the first whose cumulative charge the funds cannot cover;
//! its dues are paid in payment id order with what is left and the shortfall is debt; nothing
//! accrues after it until a debt-clearing deposit reopens the account (charging resumes the block
//! after). Deposits are consumed oldest first at every settlement; a top-up merges into the newest
//! entry when that is the same depositor's. After every step the contract's `time_to_depletion`
//! must answer what the model predicts, and every exhaustion the contract records must be the
//! height it predicted.
//!
//! - Issue 21: the predicted depletion (`time_to_depletion` and the `depletes_at` of the last event
//!   carrying one) is exactly the `exhausted_at` a later settlement records.
//! - Issue 22: the same deposits, rates and payments touched at different heights (never, exactly
//!   at the exhausting block, every block after it, at random) give the same debt, provider
//!   income, refunds, exhaustion heights and event sums, and the model's.

use crate::common;

use common::*;
use cosmwasm_std::{coin, Decimal256, Uint128, Uint256};
use cw_multi_test::AppResponse;
use escrow::msg::{
    AccountResponse, DepositLimits, ExecuteMsg, PaymentResponse, QueryMsg, Resources,
    TimeToDepletionResponse,
};
use proptest::prelude::*;
use supercloud_events::escrow::{self as ev, EscrowEvent};
use supercloud_events::SupercloudEvent;
use supercloud_multitest::{events, one};

/// Millionths: rates are `micro / MICRO` units per block.
const MICRO: u128 = 1_000_000;
const DEPOSITORS: [&str; 3] = ["owner", "alice", "bob"];
/// Payment `id` is paid to `PROVIDERS[id % 3]`.
const PROVIDERS: [&str; 3] = ["provider", "provider2", "carol"];
/// Most payments open at once (and most opened over a run), keeping runs small.
const MAX_OPEN: usize = 3;
const MAX_PAYMENTS: usize = 6;

fn u128_of(v: Uint256) -> u128 {
    Uint128::try_from(v).expect("amount fits u128").u128()
}

// ---------------------------------------------------------------------------------------------
// The model
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Open,
    Overdrawn,
    Closed,
}

/// One payment in the model.
#[derive(Clone, Debug, Default)]
struct MPayment {
    /// Rate in millionths per block.
    micro: u128,
    open: bool,
    /// Millionths accrued over the blocks charged so far.
    accrued: u128,
    /// Whole units charged so far (paid + debt): always `accrued / MICRO`.
    charged: u128,
    /// Paid by settlements out of deposits.
    paid: u128,
    /// Outstanding debt.
    debt: u128,
    /// All debt ever incurred.
    debt_total: u128,
    /// Debt paid by later deposits.
    debt_paid: u128,
    /// Debt dropped when the payment closed.
    written_off: u128,
    withdrawable: u128,
    withdrawn: u128,
}

/// Settling every block, in integers: the outcome lazy settlement must reproduce.
#[derive(Clone, Debug)]
struct Model {
    grace: u64,
    state: State,
    /// Last block charged (or the reopen height, after which charging resumes).
    settled_at: u64,
    balance: u128,
    /// Live deposit entries, oldest first: (depositor index, remaining).
    deposits: Vec<(usize, u128)>,
    payments: Vec<MPayment>,
    exhausted: Vec<u64>,
    reopened: Vec<u64>,
    grace_until: u64,
    deposited: [u128; 3],
    refunded: [u128; 3],
}

impl Model {
    /// An account opened at `height` with the owner's first deposit.
    fn new(height: u64, grace: u64, first: u128) -> Self {
        let mut m = Model {
            grace,
            state: State::Open,
            settled_at: height,
            balance: 0,
            deposits: vec![],
            payments: vec![],
            exhausted: vec![],
            reopened: vec![],
            grace_until: 0,
            deposited: [0; 3],
            refunded: [0; 3],
        };
        if first > 0 {
            m.enqueue(0, first);
            m.deposited[0] += first;
        }
        m
    }

    fn open_ids(&self) -> Vec<usize> {
        (0..self.payments.len())
            .filter(|&i| self.payments[i].open)
            .collect()
    }

    /// What the open payments are charged over the next `n` blocks, all together.
    fn due_over(&self, n: u64) -> u128 {
        self.payments
            .iter()
            .filter(|p| p.open)
            .map(|p| (p.accrued + p.micro * n as u128) / MICRO - p.charged)
            .sum()
    }

    /// The smallest `k` in `(lo, hi]` with `due_over(k) > balance`, given `due_over(lo) <=
    /// balance < due_over(hi)`.
    fn first_uncovered(&self, mut lo: u64, mut hi: u64) -> u64 {
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if self.due_over(mid) > self.balance {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        hi
    }

    /// The exhausting block if nothing changes: `None` unless open and charging.
    fn depletes_at(&self) -> Option<u64> {
        if self.state != State::Open || self.open_ids().is_empty() {
            return None;
        }
        let mut hi = 1u64;
        while self.due_over(hi) <= self.balance {
            hi *= 2;
        }
        Some(self.settled_at + self.first_uncovered(hi / 2, hi))
    }

    /// What `time_to_depletion` must answer at `height`: `(blocks, depletes_at)`.
    fn ttd(&self, height: u64) -> (Option<u64>, Option<u64>) {
        match self.state {
            State::Closed => (None, None),
            State::Overdrawn => (Some(0), self.exhausted.last().copied()),
            State::Open => match self.depletes_at() {
                None => (None, None),
                Some(p) => (Some(p.saturating_sub(height + 1)), Some(p)),
            },
        }
    }

    fn consume(&mut self, mut amount: u128) {
        self.balance -= amount;
        while amount > 0 {
            let head = &mut self.deposits[0];
            let take = head.1.min(amount);
            head.1 -= take;
            amount -= take;
            if head.1 == 0 {
                self.deposits.remove(0);
            }
        }
    }

    fn enqueue(&mut self, who: usize, amount: u128) {
        // A top-up merges into the newest live entry when that is the same depositor's, so it
        // never jumps ahead of others' deposits.
        match self.deposits.last_mut().filter(|d| d.0 == who) {
            Some(entry) => entry.1 += amount,
            None => self.deposits.push((who, amount)),
        }
        self.balance += amount;
    }

    /// Charges `n` blocks in full.
    fn charge_full(&mut self, n: u64) {
        let mut total = 0;
        for p in self.payments.iter_mut().filter(|p| p.open) {
            p.accrued += p.micro * n as u128;
            let due = p.accrued / MICRO - p.charged;
            p.charged += due;
            p.paid += due;
            p.withdrawable += due;
            total += due;
        }
        self.consume(total);
    }

    /// Charges blocks `(settled_at, height]`, stopping at the exhausting block.
    fn settle(&mut self, height: u64) {
        if self.state != State::Open || height <= self.settled_at {
            return;
        }
        let n = height - self.settled_at;
        if self.due_over(n) <= self.balance {
            self.charge_full(n);
            self.settled_at = height;
            return;
        }
        let k = self.first_uncovered(0, n);
        self.charge_full(k - 1);
        // The exhausting block: its dues in payment id order with what is left.
        let mut total = 0;
        let mut left = self.balance;
        for p in self.payments.iter_mut().filter(|p| p.open) {
            p.accrued += p.micro;
            let due = p.accrued / MICRO - p.charged;
            p.charged += due;
            let take = due.min(left);
            left -= take;
            p.paid += take;
            p.withdrawable += take;
            p.debt += due - take;
            p.debt_total += due - take;
            total += take;
        }
        self.consume(total);
        let exhausted_at = self.settled_at + k;
        self.settled_at = exhausted_at;
        self.state = State::Overdrawn;
        self.exhausted.push(exhausted_at);
        self.grace_until = exhausted_at + self.grace;
    }

    /// What every message does first: settle, then close an overdraw whose grace window ended.
    fn touch(&mut self, height: u64) {
        self.settle(height);
        if self.state == State::Overdrawn && height > self.grace_until {
            self.close_all();
        }
    }

    fn close_payment(&mut self, id: usize) {
        let p = &mut self.payments[id];
        p.withdrawn += p.withdrawable;
        p.withdrawable = 0;
        p.written_off += p.debt;
        p.debt = 0;
        p.open = false;
    }

    fn close_all(&mut self) {
        self.state = State::Closed;
        for id in self.open_ids() {
            self.close_payment(id);
        }
        for (who, amount) in std::mem::take(&mut self.deposits) {
            self.refunded[who] += amount;
            self.balance -= amount;
        }
    }

    fn maybe_reopen(&mut self, height: u64) {
        if self.state == State::Overdrawn && self.payments.iter().all(|p| !p.open || p.debt == 0) {
            self.state = State::Open;
            self.settled_at = height;
            self.reopened.push(height);
        }
    }

    /// Applies one message at `height`; `Err` when the contract must refuse it (the caller then
    /// discards this copy of the model, as the chain reverts the transaction).
    fn apply(&mut self, height: u64, act: Act) -> Result<(), ()> {
        match act {
            Act::Deposit(who, amount) => {
                if self.state == State::Closed {
                    return Err(());
                }
                self.touch(height);
                if self.state == State::Closed {
                    return Err(());
                }
                let mut left = amount;
                if self.state == State::Overdrawn {
                    for p in self.payments.iter_mut().filter(|p| p.open) {
                        let part = p.debt.min(left);
                        left -= part;
                        p.debt -= part;
                        p.debt_paid += part;
                        p.withdrawable += part;
                    }
                }
                if left > 0 {
                    self.enqueue(who, left);
                }
                self.deposited[who] += amount;
                self.maybe_reopen(height);
            }
            Act::Open(micro) => {
                self.touch(height);
                if self.state != State::Open {
                    return Err(());
                }
                self.payments.push(MPayment {
                    micro,
                    open: true,
                    ..MPayment::default()
                });
            }
            Act::Withdraw(id) => {
                if !self.payments[id].open {
                    return Err(());
                }
                self.touch(height);
                let p = &mut self.payments[id];
                if p.open {
                    p.withdrawn += p.withdrawable;
                    p.withdrawable = 0;
                }
            }
            Act::Close(id) => {
                if !self.payments[id].open {
                    return Err(());
                }
                self.touch(height);
                if self.payments[id].open {
                    self.close_payment(id);
                    self.maybe_reopen(height);
                }
            }
            Act::CloseAccount => {
                if self.state == State::Closed {
                    return Err(());
                }
                self.touch(height);
                if self.state != State::Closed {
                    self.close_all();
                }
            }
        }
        Ok(())
    }

    fn outcome(&self) -> Outcome {
        let mut banks = [START; 6];
        for (bank, (deposited, refunded)) in banks
            .iter_mut()
            .zip(self.deposited.iter().zip(self.refunded))
        {
            *bank = START - deposited + refunded;
        }
        for (id, p) in self.payments.iter().enumerate() {
            banks[3 + id % 3] += p.withdrawn;
        }
        Outcome {
            payments: self
                .payments
                .iter()
                .map(|p| PaymentOutcome {
                    income: p.withdrawn + p.withdrawable,
                    settled: p.paid,
                    debt: p.debt_total,
                    debt_paid: p.debt_paid,
                    written_off: p.written_off,
                    outstanding: p.debt,
                })
                .collect(),
            refunded: self.refunded,
            exhausted: self.exhausted.clone(),
            reopened: self.reopened.clone(),
            banks,
            held: self.balance + self.payments.iter().map(|p| p.withdrawable).sum::<u128>(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The contract beside the model
// ---------------------------------------------------------------------------------------------

/// One message to the account (owner `owner`, dseq 1).
#[derive(Clone, Copy, Debug)]
enum Act {
    /// `DEPOSITORS[who]` deposits `amount`.
    Deposit(usize, u128),
    /// The owner opens a payment at `micro` millionths per block.
    Open(u128),
    /// The provider withdraws from payment `id` (a touch that changes nothing else).
    Withdraw(usize),
    /// The owner closes payment `id`.
    Close(usize),
    /// The owner closes the account.
    CloseAccount,
}

/// Per payment, what the run ended with.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct PaymentOutcome {
    /// Provider income: withdrawn + withdrawable.
    income: u128,
    /// Σ `payment_settled.amount`.
    settled: u128,
    /// Σ `payment_settled.debt`.
    debt: u128,
    /// Σ `debt_paid.amount`.
    debt_paid: u128,
    /// Σ `payment_closed.unpaid_debt`.
    written_off: u128,
    /// Debt still owed (the payment query).
    outstanding: u128,
}

/// What a run ended with: everything issue 22 says must not depend on touch timing.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Outcome {
    payments: Vec<PaymentOutcome>,
    /// Σ `refunded.amount` per depositor.
    refunded: [u128; 3],
    /// `settled.exhausted_at` of every settlement that ran out of funds.
    exhausted: Vec<u64>,
    /// `reopened.height` of every reopen.
    reopened: Vec<u64>,
    /// Bank balances of the depositors, then the providers.
    banks: [u128; 6],
    /// What the contract still holds.
    held: u128,
}

struct Sim {
    s: Suite,
    m: Model,
    /// Per payment: event sums (settled, debt, debt paid, written off).
    log: Vec<PaymentOutcome>,
    refunded: [u128; 3],
    exhausted: Vec<u64>,
    reopened: Vec<u64>,
    /// The contract's `time_to_depletion.depletes_at` after the last step.
    predicted: Option<u64>,
}

impl Sim {
    /// An account opened with `first` from its owner; settlements charge at most
    /// `consume_batch` deposit entries per call (`None`: the default).
    fn new(first: u128, grace: u64, consume_batch: Option<u32>) -> Self {
        let deposit_limits = consume_batch.map(|consume_batch| DepositLimits {
            consume_batch,
            ..DepositLimits::default()
        });
        let mut s = Suite::with(Opts {
            grace,
            deposit_limits,
            ..Opts::default()
        });
        let res = s.open("owner", 1, first);
        let m = Model::new(s.height(), grace, first);
        let mut sim = Sim {
            s,
            m,
            log: vec![],
            refunded: [0; 3],
            exhausted: vec![],
            reopened: vec![],
            predicted: None,
        };
        sim.record(&res);
        sim.check_prediction(Some(&res));
        sim
    }

    fn height(&self) -> u64 {
        self.s.height()
    }

    fn advance_to(&mut self, height: u64) {
        let now = self.height();
        if height > now {
            self.s.advance(height - now);
            self.check_prediction(None);
        }
    }

    fn msg(&self, act: Act) -> (&'static str, ExecuteMsg, Vec<cosmwasm_std::Coin>) {
        let owner = self.s.addr("owner").to_string();
        match act {
            Act::Deposit(who, amount) => (
                DEPOSITORS[who],
                self.s.deposit_msg("owner", 1, amount, vec![]),
                vec![coin(amount, DENOM)],
            ),
            Act::Open(micro) => (
                "owner",
                ExecuteMsg::OpenPayment {
                    dseq: 1,
                    provider: self
                        .s
                        .addr(PROVIDERS[self.m.payments.len() % 3])
                        .to_string(),
                    rate: Decimal256::from_ratio(micro, MICRO),
                    resources: Resources {
                        gpu_model: "h100".into(),
                        gpu_count: 1,
                    },
                },
                vec![],
            ),
            Act::Withdraw(id) => (
                PROVIDERS[id % 3],
                self.s.withdraw_msg("owner", 1, id as u64),
                vec![],
            ),
            Act::Close(id) => (
                "owner",
                ExecuteMsg::ClosePayment {
                    owner,
                    dseq: 1,
                    payment_id: id as u64,
                },
                vec![],
            ),
            Act::CloseAccount => ("owner", self.s.close_msg("owner", 1), vec![]),
        }
    }

    /// Sends `act` to the contract and the model; both must accept it or both refuse it.
    fn act(&mut self, act: Act) -> Option<AppResponse> {
        let height = self.height();
        let mut next = self.m.clone();
        let expected = next.apply(height, act);
        let (sender, msg, funds) = self.msg(act);
        let got = self.s.exec(sender, &msg, &funds);
        match (expected, got) {
            (Ok(()), Ok(res)) => {
                self.m = next;
                if let Act::Open(_) = act {
                    let id = one::<ev::PaymentOpened>(&res).payment_id;
                    assert_eq!(id as usize, self.m.payments.len() - 1, "payment ids");
                }
                self.record(&res);
                self.check_prediction(Some(&res));
                Some(res)
            }
            (Err(()), Err(_)) => None,
            (expected, got) => panic!(
                "at {height} {act:?}: the model says {expected:?}, the contract {:?}",
                got.map(|_| ())
            ),
        }
    }

    /// Adds a response's event amounts to the run's sums.
    fn record(&mut self, res: &AppResponse) {
        self.log
            .resize(self.m.payments.len(), PaymentOutcome::default());
        let who = |s: &Suite, addr: &cosmwasm_std::Addr| {
            DEPOSITORS
                .iter()
                .position(|d| s.addr(d) == *addr)
                .expect("a known depositor")
        };
        for event in events(res) {
            let SupercloudEvent::Escrow(event) = event else {
                continue;
            };
            match event {
                EscrowEvent::PaymentSettled(e) => {
                    let p = &mut self.log[e.payment_id as usize];
                    p.settled += u128_of(e.amount);
                    p.debt += u128_of(e.debt);
                }
                EscrowEvent::DebtPaid(e) => {
                    self.log[e.payment_id as usize].debt_paid += u128_of(e.amount);
                }
                EscrowEvent::PaymentClosed(e) => {
                    self.log[e.payment_id as usize].written_off += u128_of(e.unpaid_debt);
                }
                EscrowEvent::Refunded(e) => {
                    self.refunded[who(&self.s, &e.depositor)] += u128_of(e.amount);
                }
                EscrowEvent::Settled(e) => {
                    if let Some(exhausted_at) = e.exhausted_at {
                        // Issue 21: the exhaustion a settlement records is the one predicted
                        // after the last change.
                        assert_eq!(
                            Some(exhausted_at),
                            self.predicted,
                            "recorded exhaustion vs the prediction before it"
                        );
                        self.exhausted.push(exhausted_at);
                    }
                }
                EscrowEvent::Reopened(e) => self.reopened.push(e.height),
                _ => {}
            }
        }
    }

    /// Issue 21: `time_to_depletion` (and the `depletes_at` of the last event that carries one)
    /// answer what the model predicts.
    fn check_prediction(&mut self, res: Option<&AppResponse>) {
        let height = self.height();
        let ttd: TimeToDepletionResponse = self.s.query(&QueryMsg::TimeToDepletion {
            owner: self.s.addr("owner").to_string(),
            dseq: 1,
        });
        let (blocks, depletes_at) = self.m.ttd(height);
        assert_eq!(
            (ttd.blocks, ttd.depletes_at),
            (blocks, depletes_at),
            "time_to_depletion at {height} (blocks, depletes_at); model {:?}",
            self.m
        );
        if let Some(res) = res {
            let carried = events(res).into_iter().rev().find_map(|e| match e {
                SupercloudEvent::Escrow(e) => match e {
                    EscrowEvent::Deposited(e) => Some(e.depletes_at),
                    EscrowEvent::PaymentOpened(e) => Some(e.depletes_at),
                    EscrowEvent::PaymentClosed(e) => Some(e.depletes_at),
                    EscrowEvent::Reopened(e) => Some(e.depletes_at),
                    EscrowEvent::Settled(e) => Some(e.depletes_at),
                    _ => None,
                },
                _ => None,
            });
            if let Some(carried) = carried {
                assert_eq!(
                    carried,
                    self.m.depletes_at(),
                    "depletes_at of the last event at {height}"
                );
            }
        }
        self.predicted = ttd.depletes_at;
    }

    /// The lowest-id open payment, to touch the account through.
    fn any_open(&self) -> Option<usize> {
        self.m.open_ids().first().copied()
    }

    /// Touches the account without changing it: a provider withdraws.
    fn touch(&mut self) {
        if let Some(id) = self.any_open() {
            self.act(Act::Withdraw(id));
        }
    }

    fn outcome(&mut self) -> Outcome {
        self.log
            .resize(self.m.payments.len(), PaymentOutcome::default());
        let mut payments = self.log.clone();
        for (id, p) in payments.iter_mut().enumerate() {
            let q: PaymentResponse = self.s.query(&QueryMsg::Payment {
                owner: self.s.addr("owner").to_string(),
                dseq: 1,
                payment_id: id as u64,
            });
            p.income = u128_of(q.withdrawn) + u128_of(q.withdrawable);
            p.outstanding = u128_of(q.debt);
        }
        let mut banks = [0; 6];
        for (i, name) in DEPOSITORS.iter().chain(PROVIDERS.iter()).enumerate() {
            banks[i] = self.s.bank(name);
        }
        Outcome {
            payments,
            refunded: self.refunded,
            exhausted: self.exhausted.clone(),
            reopened: self.reopened.clone(),
            banks,
            held: self.s.held(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Issue 21: predicted depletion is the recorded exhaustion
// ---------------------------------------------------------------------------------------------

fn time_to_depletion(s: &Suite) -> TimeToDepletionResponse {
    s.query(&QueryMsg::TimeToDepletion {
        owner: s.addr("owner").to_string(),
        dseq: 1,
    })
}

#[test]
fn the_issue_example_predicts_the_recorded_exhaustion() {
    // Issue 21: 229 uakt at 0.3 uakt per block, advanced one block, predicted 13113 while a later
    // withdraw recorded 13112. By hand: floor(0.3 × 766) = 229 is covered, floor(0.3 × 767) = 230
    // is not, so the 767th block after the opening exhausts the funds, with 1 uakt of debt.
    for touch_after_one_block in [false, true] {
        let mut s = Suite::new();
        let opened = s.height();
        s.open("owner", 1, 229);
        let p = s.pay("owner", 1, "provider", "0.3");
        s.advance(1);
        if touch_after_one_block {
            // Settles 0 and carries 0.3: the stored carry must count.
            let res = s.exec_ok("provider", &s.withdraw_msg("owner", 1, p), &[]);
            assert_eq!(one::<ev::Settled>(&res).depletes_at, Some(opened + 767));
        }
        let ttd = time_to_depletion(&s);
        assert_eq!(
            ttd.depletes_at,
            Some(opened + 767),
            "touched: {touch_after_one_block}"
        );
        assert_eq!(
            ttd.blocks,
            Some(765),
            "blocks after {} still covered",
            opened + 1
        );
        s.advance(767 - 1 - 1);
        assert_eq!(time_to_depletion(&s).blocks, Some(0));
        let account: AccountResponse = s.account("owner", 1);
        assert_eq!(account.preview.exhausted_at, None, "block 766 is covered");
        s.advance(1);
        let res = s.exec_ok("provider", &s.withdraw_msg("owner", 1, p), &[]);
        assert_eq!(one::<ev::Settled>(&res).exhausted_at, Some(opened + 767));
        assert_eq!(one::<ev::Overdrawn>(&res).exhausted_at, opened + 767);
        assert_eq!(s.bank("provider"), START + 229);
        let payment: PaymentResponse = s.query(&QueryMsg::Payment {
            owner: s.addr("owner").to_string(),
            dseq: 1,
            payment_id: p,
        });
        assert_eq!(payment.debt, Uint256::one());
    }
}

#[derive(Clone, Debug)]
enum Step {
    Advance(u64),
    /// Withdraw from the n-th open payment (modulo their count).
    Withdraw(usize),
    Deposit(usize, u128),
    Open(u128),
    /// Close the n-th open payment (modulo their count).
    Close(usize),
}

/// A rate in millionths per block: from 0.000001 to 3, half of them below one unit (a fifth
/// below 0.01, where one unit takes more than a hundred blocks to accrue).
fn rate() -> impl Strategy<Value = u128> {
    prop_oneof![3 => 1..3_000_000u128, 1 => 1..10_000u128]
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (1..60u64).prop_map(Step::Advance),
        2 => (0..3usize).prop_map(Step::Withdraw),
        2 => (0..3usize, 1..400u128).prop_map(|(w, a)| Step::Deposit(w, a)),
        1 => rate().prop_map(Step::Open),
        1 => (0..3usize).prop_map(Step::Close),
    ]
}

fn balance() -> impl Strategy<Value = u128> {
    prop_oneof![1..400u128, 1..20_000u128]
}

impl Sim {
    fn step(&mut self, step: &Step) {
        let open = self.m.open_ids();
        match *step {
            Step::Advance(n) => {
                let to = self.height() + n;
                self.advance_to(to);
            }
            Step::Withdraw(i) if !open.is_empty() => {
                self.act(Act::Withdraw(open[i % open.len()]));
            }
            Step::Close(i) if !open.is_empty() => {
                self.act(Act::Close(open[i % open.len()]));
            }
            Step::Deposit(who, amount) => {
                self.act(Act::Deposit(who, amount));
            }
            Step::Open(micro) if open.len() < MAX_OPEN && self.m.payments.len() < MAX_PAYMENTS => {
                self.act(Act::Open(micro));
            }
            _ => {}
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, .. ProptestConfig::default() })]

    /// Issue 21: for random rates (many below one unit per block), balances and touch sequences,
    /// after every step `time_to_depletion` and the `depletes_at` of the last event carrying one
    /// are the model's prediction, every exhaustion recorded along the way is the one predicted
    /// before it, and after the last change a settlement at or past the predicted height records
    /// exactly that height (and the block before it is still covered).
    #[test]
    fn predicted_depletion_is_the_exhaustion_a_later_settlement_records(
        first in balance(),
        grace in 0..30u64,
        rates in prop::collection::vec(rate(), 1..=3),
        steps in prop::collection::vec(step(), 0..30),
        past in 0..4u64,
    ) {
        let mut sim = Sim::new(first, grace, None);
        for micro in rates {
            sim.act(Act::Open(micro));
        }
        for step in &steps {
            sim.step(step);
        }
        let Some(predicted) = sim.m.depletes_at() else {
            return Ok(());
        };
        prop_assert_eq!(sim.predicted, Some(predicted));
        if predicted - 1 > sim.height() {
            sim.advance_to(predicted - 1);
            let account = sim.s.account("owner", 1);
            prop_assert_eq!(account.preview.exhausted_at, None, "the block before is covered");
            prop_assert_eq!(time_to_depletion(&sim.s).blocks, Some(0));
        }
        sim.advance_to(predicted + past);
        let id = sim.any_open().expect("a charging account has an open payment");
        let res = sim.act(Act::Withdraw(id)).expect("withdraw");
        prop_assert_eq!(one::<ev::Settled>(&res).exhausted_at, Some(predicted));
        prop_assert_eq!(one::<ev::Overdrawn>(&res).exhausted_at, predicted);
        let account = sim.s.account("owner", 1);
        prop_assert_eq!(account.preview.exhausted_at, Some(predicted));
    }
}

// ---------------------------------------------------------------------------------------------
// Issue 22: outcomes do not depend on when the account is touched
// ---------------------------------------------------------------------------------------------

/// What changes the account, at heights relative to its opening; the run ends by closing it.
#[derive(Clone, Debug)]
struct Plan {
    first: u128,
    grace: u64,
    rates: Vec<u128>,
    /// (blocks after the previous change, change).
    changes: Vec<(u64, Change)>,
    /// Blocks from the last change to the owner's close.
    tail: u64,
    /// Deposit entries a call consumes at most (`None`: the default): with 1 or 2, which entry
    /// paid lags behind settlement by a number of calls that depends on the touches.
    consume_batch: Option<u32>,
}

#[derive(Clone, Copy, Debug)]
enum Change {
    Deposit(usize, u128),
    Open(u128),
    /// Close the n-th open payment (modulo their count).
    Close(usize),
}

impl Plan {
    /// (height offset, change) for every change, then the close.
    fn timeline(&self) -> Vec<(u64, Option<Change>)> {
        let mut at = 0;
        let mut out = vec![];
        for (after, change) in &self.changes {
            at += after;
            out.push((at, Some(*change)));
        }
        out.push((at + self.tail, None));
        out
    }

    fn end(&self) -> u64 {
        self.timeline().last().map_or(0, |t| t.0)
    }
}

/// Runs `plan`, touching the account (a provider's withdraw) at each offset of `touches` as well
/// (before a change at the same height). Returns the outcome, checked against the model.
fn run(plan: &Plan, touches: &[u64]) -> Outcome {
    let mut sim = Sim::new(plan.first, plan.grace, plan.consume_batch);
    let opened = sim.height();
    for &micro in &plan.rates {
        sim.act(Act::Open(micro));
    }
    // Touches sort before changes at the same height (false < true).
    let mut timeline: Vec<(u64, bool, Option<Change>)> =
        touches.iter().map(|&t| (t, false, None)).collect();
    timeline.extend(plan.timeline().into_iter().map(|(t, c)| (t, true, c)));
    timeline.sort_by_key(|t| (t.0, t.1));
    for (at, is_change, change) in timeline {
        sim.advance_to(opened + at);
        let open = sim.m.open_ids();
        match (is_change, change) {
            (false, _) => sim.touch(),
            (true, None) => {
                sim.act(Act::CloseAccount);
            }
            (true, Some(Change::Deposit(who, amount))) => {
                sim.act(Act::Deposit(who, amount));
            }
            (true, Some(Change::Open(micro))) => {
                if open.len() < MAX_OPEN && sim.m.payments.len() < MAX_PAYMENTS {
                    sim.act(Act::Open(micro));
                }
            }
            (true, Some(Change::Close(i))) => {
                if !open.is_empty() {
                    sim.act(Act::Close(open[i % open.len()]));
                }
            }
        }
    }
    let outcome = sim.outcome();
    assert_eq!(sim.m.state, State::Closed, "every plan ends closed");
    assert_eq!(outcome, sim.m.outcome(), "the contract vs the model");
    outcome
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        3 => (0..3usize, 1..500u128).prop_map(|(w, a)| Change::Deposit(w, a)),
        1 => rate().prop_map(Change::Open),
        1 => (0..3usize).prop_map(Change::Close),
    ]
}

/// Blocks between changes: often a few (several deposits into one settlement), sometimes many.
fn gap() -> impl Strategy<Value = u64> {
    prop_oneof![0..20u64, 0..300u64]
}

fn plan() -> impl Strategy<Value = Plan> {
    (
        prop_oneof![1..400u128, 1..5_000u128],
        0..40u64,
        prop::collection::vec(rate(), 1..=3),
        prop::collection::vec((gap(), change()), 0..12),
        0..3_000u64,
        prop_oneof![Just(None), (1..=2u32).prop_map(Some)],
    )
        .prop_map(|(first, grace, rates, changes, tail, consume_batch)| Plan {
            first,
            grace,
            rates,
            changes,
            tail,
            consume_batch,
        })
}

/// Offsets around each exhaustion: the block before, the exhausting block, several after it,
/// and both sides of the grace window's end.
fn around_exhaustion(outcome: &Outcome, opened: u64, grace: u64) -> Vec<u64> {
    let mut out = vec![];
    for &e in &outcome.exhausted {
        let e = e - opened;
        out.extend([
            e.saturating_sub(1),
            e,
            e + 1,
            e + 2,
            e + 3,
            e + grace,
            e + grace + 1,
        ]);
    }
    for &r in &outcome.reopened {
        out.extend([r - opened, r - opened + 1]);
    }
    out
}

/// The height accounts open at in a fresh suite.
fn opening_height() -> u64 {
    Suite::new().height()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, .. ProptestConfig::default() })]

    /// Issue 22: the same plan run with no touch at all (so none between exhaustion and close),
    /// with touches exactly at each exhausting block, the block before, several after it and at
    /// the grace window's end, and with touches at random heights, gives the same per-payment
    /// debt, provider income, event sums, refunds per depositor, exhaustion heights and bank
    /// balances, all equal to the model's.
    #[test]
    fn outcomes_do_not_depend_on_when_the_account_is_touched(
        plan in plan(),
        random in prop::collection::vec(0..=1_000u64, 0..12),
    ) {
        let untouched = run(&plan, &[]);
        let opened = opening_height();
        let around = around_exhaustion(&untouched, opened, plan.grace);
        let end = plan.end();
        let random: Vec<u64> = random.iter().map(|r| end * r / 1_000).collect();
        prop_assert_eq!(&run(&plan, &around), &untouched, "touched around exhaustion: {:?}", around);
        prop_assert_eq!(&run(&plan, &random), &untouched, "touched at random: {:?}", random);
    }

    /// Issue 22, the devnet finding: funds run out at E and nothing touches the account until the
    /// owner closes it `past` blocks later (before, at or after the grace window's end). The
    /// debt is the exhausting block's shortfall and E is recorded, exactly as when the account
    /// is touched every block from E − 1 to the close, or at random heights.
    #[test]
    fn debt_does_not_grow_until_somebody_looks(
        first in prop_oneof![1..400u128, 1..3_000u128],
        grace in 0..40u64,
        rates in prop::collection::vec(rate(), 1..=3),
        past in 0..80u64,
        random in prop::collection::vec(0..=1_000u64, 0..8),
    ) {
        let mut m = Model::new(0, grace, first);
        for &micro in &rates {
            m.apply(0, Act::Open(micro)).expect("open");
        }
        let exhausted = m.depletes_at().expect("charging");
        m.apply(exhausted, Act::Withdraw(0)).expect("touch");
        let debt: u128 = m.payments.iter().map(|p| p.debt).sum();
        let plan = Plan {
            first,
            grace,
            rates,
            changes: vec![],
            tail: exhausted + past,
            consume_batch: None,
        };
        let untouched = run(&plan, &[]);
        let opened = opening_height();
        prop_assert_eq!(&untouched.exhausted, &vec![opened + exhausted]);
        prop_assert_eq!(untouched.payments.iter().map(|p| p.debt).sum::<u128>(), debt);
        let every: Vec<u64> = (exhausted.saturating_sub(1)..=exhausted + past).collect();
        prop_assert_eq!(&run(&plan, &every), &untouched, "touched every block after exhaustion");
        let end = plan.end();
        let random: Vec<u64> = random.iter().map(|r| end * r / 1_000).collect();
        prop_assert_eq!(&run(&plan, &random), &untouched, "touched at random: {:?}", random);
    }

    /// Issue 22: a deposit that clears the debt inside the grace window (at the exhausting block
    /// itself up to the window's last block) clears the same debt and resumes the same charging
    /// whether the account was touched at every block from the one before exhaustion to the
    /// deposit, at random heights, or not at all.
    #[test]
    fn clearing_the_debt_inside_grace_does_not_depend_on_earlier_touches(
        first in prop_oneof![1..400u128, 1..3_000u128],
        grace in 1..40u64,
        rates in prop::collection::vec(rate(), 1..=3),
        into_grace in 0..=1_000u64,
        extra in 0..500u128,
        after in 1..400u64,
        random in prop::collection::vec(0..=1_000u64, 0..8),
    ) {
        // Where the funds run out and what the exhausting block leaves owed, if nobody deposits.
        let mut m = Model::new(0, grace, first);
        for &micro in &rates {
            m.apply(0, Act::Open(micro)).expect("open");
        }
        let exhausted = m.depletes_at().expect("charging");
        m.apply(exhausted, Act::Withdraw(0)).expect("touch");
        let debt: u128 = m.payments.iter().map(|p| p.debt).sum();
        let deposit_at = exhausted + grace * into_grace / 1_000;
        let plan = Plan {
            first,
            grace,
            rates,
            changes: vec![(deposit_at, Change::Deposit(1, debt + extra))],
            tail: after,
            consume_batch: None,
        };
        let untouched = run(&plan, &[]);
        let opened = opening_height();
        prop_assert_eq!(untouched.exhausted.first().copied(), Some(opened + exhausted));
        prop_assert_eq!(untouched.reopened.first().copied(), Some(opened + deposit_at));
        prop_assert_eq!(untouched.payments.iter().map(|p| p.debt_paid).sum::<u128>(), debt);
        let every: Vec<u64> = (exhausted.saturating_sub(1)..=deposit_at).collect();
        prop_assert_eq!(&run(&plan, &every), &untouched, "touched every block to the deposit");
        let end = plan.end();
        let random: Vec<u64> = random.iter().map(|r| end * r / 1_000).collect();
        prop_assert_eq!(&run(&plan, &random), &untouched, "touched at random: {:?}", random);
    }
}
