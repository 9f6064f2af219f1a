//! Escrow accounts, payments, their live intervals and allowances, and the lease spend they
//! accrue (DESIGN §7 "Live payment", "Spend").
//!
//! A payment is live from the block after its opening height through its closing height, except
//! while its account is out of funds: from the block after the exhausting one (`depletes_at`
//! predicted, `exhausted_at` confirmed) until a `reopened`, after which it runs again from the
//! block after that height. Spend is accrued lazily: each live payment remembers the last block
//! it was accrued through and is flushed when it changes, at each day boundary and at the end of
//! each batch, so a batch costs O(events + live payments), not O(blocks × payments).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;
use cosmwasm_std::{Decimal256, Uint256};
use supercloud_events::escrow::{AccountState, CloseReason, EscrowEvent, PaymentState};

use super::clock::Clock;
use super::{Changes, LeaseGroup, Snapshot, SnapshotWrite};

/// An account: owner + dseq.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AccountKey {
    pub owner: String,
    pub dseq: u64,
}

/// A payment: its account + payment_id.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PaymentKey {
    pub owner: String,
    pub dseq: u64,
    pub payment_id: u64,
}

impl AccountKey {
    fn of(owner: &cosmwasm_std::Addr, dseq: u64) -> Self {
        AccountKey {
            owner: owner.to_string(),
            dseq,
        }
    }
}

impl AllowanceKey {
    fn of(granter: &cosmwasm_std::Addr, grantee: &cosmwasm_std::Addr, denom: &str) -> Self {
        AllowanceKey {
            granter: granter.to_string(),
            grantee: grantee.to_string(),
            denom: denom.to_string(),
        }
    }
}

impl PaymentKey {
    fn of(owner: &cosmwasm_std::Addr, dseq: u64, payment_id: u64) -> Self {
        PaymentKey {
            owner: owner.to_string(),
            dseq,
            payment_id,
        }
    }

    fn account(&self) -> AccountKey {
        AccountKey {
            owner: self.owner.clone(),
            dseq: self.dseq,
        }
    }
}

/// An allowance: granter → grantee in a denom.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AllowanceKey {
    pub granter: String,
    pub grantee: String,
    pub denom: String,
}

/// An `escrow_account` row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub denom: String,
    pub state: AccountState,
    pub opened_height: u64,
    pub closed_height: Option<u64>,
    pub close_reason: Option<CloseReason>,
    pub balance: Uint256,
    pub account_rate: Decimal256,
    pub depletes_at: Option<u64>,
    pub exhausted_at: Option<u64>,
    pub deposited: Uint256,
    pub last_top_up: Option<Uint256>,
    pub last_top_up_height: Option<u64>,
    pub updated_height: u64,
    /// Its payments not yet closed (not stored: rebuilt from `escrow_payment` on load).
    pub payments: BTreeSet<u64>,
}

/// An `escrow_payment` row, plus its run in progress.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Payment {
    pub provider: String,
    pub denom: String,
    pub rate: Decimal256,
    pub gpu_model: String,
    pub gpu_count: u32,
    pub state: PaymentState,
    pub opened_height: u64,
    pub closed_height: Option<u64>,
    pub close_reason: Option<CloseReason>,
    pub settled: Uint256,
    pub debt: Uint256,
    pub withdrawn: Uint256,
    pub updated_height: u64,
    /// The run in progress (not stored apart from its interval row).
    pub live: Option<Live>,
}

/// A payment's run in progress: live from `from + 1`, spend accrued through `accrued_through`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Live {
    pub from: u64,
    pub accrued_through: u64,
}

/// An `escrow_allowance` row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Allowance {
    pub scope: Option<String>,
    pub balance: Uint256,
    pub granted: Uint256,
    pub spent: Uint256,
    pub expires_at: Option<u64>,
    pub revoked: bool,
    pub updated_height: u64,
}

impl Payment {
    fn group(&self, key: &PaymentKey) -> LeaseGroup {
        LeaseGroup {
            denom: self.denom.clone(),
            provider: self.provider.clone(),
            owner: key.owner.clone(),
            gpu_model: self.gpu_model.clone(),
        }
    }
}

/// Accounts and payments not yet closed, allowances touched in this process, and the schedule
/// of predicted depletions. Closed entities leave memory once written, so memory follows the
/// open set, not the history.
#[derive(Debug, Default)]
pub struct EscrowBook {
    pub accounts: HashMap<AccountKey, Account>,
    pub payments: HashMap<PaymentKey, Payment>,
    pub allowances: HashMap<AllowanceKey, Allowance>,
    /// depletes_at → accounts predicted to exhaust there (checked against the account on use).
    depletions: BTreeMap<u64, BTreeSet<AccountKey>>,
    /// The day of the last block seen (a day boundary flushes every live payment).
    day: Option<NaiveDate>,
    /// The snapshot last handed to the store (after a restart: none, so the next is whole).
    written: Option<(NaiveDate, Snapshot)>,
}

impl EscrowBook {
    /// Adds an account loaded from the store (its payments follow with [`Self::load_payment`]).
    pub fn load_account(&mut self, key: AccountKey, account: Account) {
        if let Some(h) = account.depletes_at {
            self.depletions.entry(h).or_default().insert(key.clone());
        }
        self.accounts.insert(key, account);
    }

    /// Adds a payment loaded from the store; `live_from` is its open interval, accrued through
    /// `cursor`.
    pub fn load_payment(
        &mut self,
        key: PaymentKey,
        mut payment: Payment,
        live_from: Option<u64>,
        cursor: u64,
    ) {
        payment.live = live_from.map(|from| Live {
            from,
            accrued_through: cursor.max(from),
        });
        if let Some(a) = self.accounts.get_mut(&key.account()) {
            a.payments.insert(key.payment_id);
        }
        self.payments.insert(key, payment);
    }

    /// The day of the last block projected (set on load from the cursor's block time).
    pub fn set_day(&mut self, day: Option<NaiveDate>) {
        self.day = day;
    }

    /// Work due before block `height`'s events: predicted depletions before it, and the flush of
    /// the previous day when `height` starts a new one.
    pub fn before_block(&mut self, height: u64, day: NaiveDate, clock: &Clock, out: &mut Changes) {
        self.deplete_before(height, clock, out);
        if self.day.is_some_and(|d| d != day) {
            let prev = height.saturating_sub(1);
            self.flush_all(prev, clock, out);
            if let Some(d) = self.day {
                self.emit_snapshot(d, out);
            }
        }
        self.day = Some(day);
    }

    /// Flushes every live payment through the batch's last block and snapshots its day.
    pub fn end_batch(&mut self, last: u64, day: NaiveDate, clock: &Clock, out: &mut Changes) {
        self.deplete_before(last.saturating_add(1), clock, out);
        self.flush_all(last, clock, out);
        self.emit_snapshot(day, out);
        self.record(out);
        // Closed entities are written now; memory keeps only the open set.
        self.payments.retain(|_, p| p.state != PaymentState::Closed);
        self.accounts.retain(|_, a| a.state != AccountState::Closed);
    }

    /// Applies one escrow event of block `height`.
    pub fn apply(
        &mut self,
        height: u64,
        day: NaiveDate,
        ev: &EscrowEvent,
        clock: &Clock,
        out: &mut Changes,
    ) {
        use EscrowEvent as E;
        match ev {
            E::AccountOpened(e) => {
                let key = AccountKey::of(&e.owner, e.dseq);
                let account = Account {
                    denom: e.denom.clone(),
                    state: AccountState::Open,
                    opened_height: e.height,
                    closed_height: None,
                    close_reason: None,
                    balance: Uint256::zero(),
                    account_rate: Decimal256::zero(),
                    depletes_at: None,
                    exhausted_at: None,
                    deposited: Uint256::zero(),
                    last_top_up: None,
                    last_top_up_height: None,
                    updated_height: height,
                    payments: BTreeSet::new(),
                };
                out.accounts.insert(key.clone(), account.clone());
                self.accounts.insert(key, account);
            }
            E::Deposited(e) => {
                let key = AccountKey::of(&e.owner, e.dseq);
                let Some(a) = self.account(&key, "deposited", out) else {
                    return;
                };
                a.balance = e.balance;
                a.account_rate = e.account_rate;
                a.deposited = a.deposited.saturating_add(e.amount);
                a.last_top_up = Some(e.amount);
                a.last_top_up_height = Some(height);
                self.set_depletes(&key, e.depletes_at, height, out);
            }
            E::DepositConsumed(e) => {
                let k = (
                    day,
                    e.denom.clone(),
                    e.depositor.to_string(),
                    e.owner.to_string(),
                );
                let v = out.depositor_days.entry(k).or_default();
                *v = v.saturating_add(e.amount);
            }
            E::PaymentOpened(e) => {
                let key = PaymentKey::of(&e.owner, e.dseq, e.payment_id);
                let payment = Payment {
                    provider: e.provider.to_string(),
                    denom: e.denom.clone(),
                    rate: e.rate,
                    gpu_model: e.gpu_model.clone(),
                    gpu_count: e.gpu_count,
                    state: PaymentState::Open,
                    opened_height: e.height,
                    closed_height: None,
                    close_reason: None,
                    settled: Uint256::zero(),
                    debt: Uint256::zero(),
                    withdrawn: Uint256::zero(),
                    updated_height: height,
                    live: None,
                };
                let opened = out
                    .lease_days
                    .entry((day, payment.group(&key)))
                    .or_default();
                opened.leases_opened = opened.leases_opened.saturating_add(1);
                self.payments.insert(key.clone(), payment);
                self.start(&key, e.height, out);
                let akey = key.account();
                if let Some(a) = self.account(&akey, "payment_opened", out) {
                    a.payments.insert(e.payment_id);
                    a.account_rate = e.account_rate;
                }
                self.set_depletes(&akey, e.depletes_at, height, out);
            }
            E::PaymentSettled(e) => {
                let key = PaymentKey::of(&e.owner, e.dseq, e.payment_id);
                if let Some(p) = self.payment(&key, "payment_settled", height, out) {
                    p.settled = p.settled.saturating_add(e.amount);
                    p.debt = p.debt.saturating_add(e.debt);
                }
            }
            E::Settled(e) => {
                let key = AccountKey::of(&e.owner, e.dseq);
                let Some(a) = self.account(&key, "settled", out) else {
                    return;
                };
                a.balance = e.balance;
                a.account_rate = e.account_rate;
                if let Some(x) = e.exhausted_at {
                    a.exhausted_at = Some(x);
                    self.exhaust(&key, x, clock, out);
                }
                self.set_depletes(&key, e.depletes_at, height, out);
            }
            E::Overdrawn(e) => {
                let key = AccountKey::of(&e.owner, e.dseq);
                let Some(a) = self.account(&key, "overdrawn", out) else {
                    return;
                };
                a.state = AccountState::Overdrawn;
                a.exhausted_at = Some(e.exhausted_at);
                a.depletes_at = None;
                let ids: Vec<u64> = a.payments.iter().copied().collect();
                self.exhaust(&key, e.exhausted_at, clock, out);
                for id in ids {
                    let pk = PaymentKey {
                        owner: key.owner.clone(),
                        dseq: key.dseq,
                        payment_id: id,
                    };
                    if let Some(p) = self.payment(&pk, "overdrawn", height, out) {
                        p.state = PaymentState::Overdrawn;
                    }
                }
                self.touch_account(&key, height, out);
            }
            E::DebtPaid(e) => {
                let key = PaymentKey::of(&e.owner, e.dseq, e.payment_id);
                if let Some(p) = self.payment(&key, "debt_paid", height, out) {
                    p.settled = p.settled.saturating_add(e.amount);
                    p.debt = e.debt_remaining;
                }
            }
            E::Reopened(e) => {
                let key = AccountKey::of(&e.owner, e.dseq);
                let Some(a) = self.account(&key, "reopened", out) else {
                    return;
                };
                a.state = AccountState::Open;
                a.exhausted_at = None;
                a.account_rate = e.account_rate;
                let ids: Vec<u64> = a.payments.iter().copied().collect();
                for id in ids {
                    let pk = PaymentKey {
                        owner: key.owner.clone(),
                        dseq: key.dseq,
                        payment_id: id,
                    };
                    if let Some(p) = self.payment(&pk, "reopened", height, out) {
                        p.state = PaymentState::Open;
                    }
                    self.start(&pk, e.height, out);
                }
                self.set_depletes(&key, e.depletes_at, height, out);
            }
            E::Withdrawn(e) => {
                let key = PaymentKey::of(&e.owner, e.dseq, e.payment_id);
                if let Some(p) = self.payment(&key, "withdrawn", height, out) {
                    p.withdrawn = p.withdrawn.saturating_add(e.amount);
                }
            }
            E::PaymentClosed(e) => {
                let key = PaymentKey::of(&e.owner, e.dseq, e.payment_id);
                self.stop(&key, e.height, clock, out);
                if let Some(p) = self.payment(&key, "payment_closed", height, out) {
                    p.state = PaymentState::Closed;
                    p.closed_height = Some(e.height);
                    p.close_reason = Some(e.reason);
                    p.withdrawn = p.withdrawn.saturating_add(e.paid_out);
                }
                let akey = key.account();
                if let Some(a) = self.account(&akey, "payment_closed", out) {
                    a.payments.remove(&e.payment_id);
                    a.account_rate = e.account_rate;
                }
                self.set_depletes(&akey, e.depletes_at, height, out);
            }
            E::AccountClosed(e) => {
                let key = AccountKey::of(&e.owner, e.dseq);
                let Some(a) = self.account(&key, "account_closed", out) else {
                    return;
                };
                a.state = AccountState::Closed;
                a.closed_height = Some(e.height);
                a.close_reason = Some(e.reason);
                a.depletes_at = None;
                let ids: Vec<u64> = a.payments.iter().copied().collect();
                for id in ids {
                    let pk = PaymentKey {
                        owner: key.owner.clone(),
                        dseq: key.dseq,
                        payment_id: id,
                    };
                    self.stop(&pk, e.height, clock, out);
                    out.anomalies.push(format!(
                        "account_closed at {height} with payment {pk:?} still open"
                    ));
                }
                self.touch_account(&key, height, out);
            }
            E::AllowanceGranted(e) => {
                let key = AllowanceKey::of(&e.granter, &e.grantee, &e.denom);
                let a = self
                    .allowances
                    .entry(key.clone())
                    .or_insert_with(|| Allowance {
                        scope: None,
                        balance: Uint256::zero(),
                        granted: Uint256::zero(),
                        spent: Uint256::zero(),
                        expires_at: None,
                        revoked: false,
                        updated_height: height,
                    });
                a.scope = Some(e.scope.clone());
                a.balance = e.balance;
                a.granted = a.granted.saturating_add(e.amount);
                a.expires_at = e.expires_at;
                a.revoked = false;
                a.updated_height = height;
                out.allowances.insert(key, a.clone());
            }
            E::AllowanceChanged(e) => {
                let key = AllowanceKey::of(&e.granter, &e.grantee, &e.denom);
                match self.allowances.get_mut(&key) {
                    Some(a) => {
                        a.balance = e.balance;
                        a.spent = a.spent.saturating_add(e.spent).saturating_sub(e.credited);
                        a.updated_height = height;
                        out.allowances.insert(key, a.clone());
                    }
                    None => out
                        .anomalies
                        .push(format!("allowance_changed at {height} for unknown {key:?}")),
                }
            }
            E::AllowanceRevoked(e) => {
                let key = AllowanceKey::of(&e.granter, &e.grantee, &e.denom);
                match self.allowances.get_mut(&key) {
                    Some(a) => {
                        a.balance = Uint256::zero();
                        a.revoked = true;
                        a.updated_height = height;
                        out.allowances.insert(key, a.clone());
                    }
                    None => out
                        .anomalies
                        .push(format!("allowance_revoked at {height} for unknown {key:?}")),
                }
            }
            // Refunds move deposits back (the event tables keep them); governance events carry
            // no escrow state.
            _ => {}
        }
    }

    fn account(&mut self, key: &AccountKey, what: &str, out: &mut Changes) -> Option<&mut Account> {
        match self.accounts.get_mut(key) {
            Some(a) => Some(a),
            None => {
                out.anomalies
                    .push(format!("{what} for unknown account {key:?}"));
                None
            }
        }
    }

    fn payment(
        &mut self,
        key: &PaymentKey,
        what: &str,
        height: u64,
        out: &mut Changes,
    ) -> Option<&mut Payment> {
        match self.payments.get_mut(key) {
            Some(p) => {
                p.updated_height = height;
                out.payments.insert(key.clone(), p.clone());
                // The row written is the state after the batch: re-inserted by `record`.
                Some(p)
            }
            None => {
                out.anomalies
                    .push(format!("{what} for unknown payment {key:?}"));
                None
            }
        }
    }

    fn touch_account(&mut self, key: &AccountKey, height: u64, out: &mut Changes) {
        if let Some(a) = self.accounts.get_mut(key) {
            a.updated_height = height;
            out.accounts.insert(key.clone(), a.clone());
        }
    }

    /// Records the account's new prediction and schedules it.
    fn set_depletes(
        &mut self,
        key: &AccountKey,
        depletes_at: Option<u64>,
        height: u64,
        out: &mut Changes,
    ) {
        if let Some(a) = self.accounts.get_mut(key) {
            a.depletes_at = depletes_at;
            if let Some(h) = depletes_at {
                self.depletions.entry(h).or_default().insert(key.clone());
            }
        }
        self.touch_account(key, height, out);
    }

    /// Predicted exhaustions strictly before `height`: their payments stop at `depletes_at`.
    fn deplete_before(&mut self, height: u64, clock: &Clock, out: &mut Changes) {
        while let Some(entry) = self.depletions.first_entry() {
            if *entry.key() >= height {
                break;
            }
            let (at, keys) = entry.remove_entry();
            for key in keys {
                let due = self
                    .accounts
                    .get(&key)
                    .is_some_and(|a| a.depletes_at == Some(at));
                if due {
                    self.exhaust(&key, at, clock, out);
                }
            }
        }
    }

    /// The account's funds could not cover block `at`: its live payments stop there.
    fn exhaust(&mut self, key: &AccountKey, at: u64, clock: &Clock, out: &mut Changes) {
        let Some(a) = self.accounts.get(key) else {
            return;
        };
        let ids: Vec<u64> = a.payments.iter().copied().collect();
        for id in ids {
            let pk = PaymentKey {
                owner: key.owner.clone(),
                dseq: key.dseq,
                payment_id: id,
            };
            self.stop(&pk, at, clock, out);
        }
    }

    /// Starts a run of `key` live from `after + 1`.
    fn start(&mut self, key: &PaymentKey, after: u64, out: &mut Changes) {
        if let Some(p) = self.payments.get_mut(key) {
            if p.live.is_none() {
                p.live = Some(Live {
                    from: after,
                    accrued_through: after,
                });
                out.intervals.insert((key.clone(), after), None);
                out.payments.insert(key.clone(), p.clone());
            }
        }
    }

    /// Ends `key`'s run with block `through` as its last live block (accrued up to it).
    fn stop(&mut self, key: &PaymentKey, through: u64, clock: &Clock, out: &mut Changes) {
        let Some(p) = self.payments.get_mut(key) else {
            return;
        };
        let Some(live) = p.live else { return };
        if through < live.accrued_through {
            out.anomalies.push(format!(
                "{key:?} stops at {through} but was already accrued through {}",
                live.accrued_through
            ));
        }
        let through = through.max(live.from);
        accrue(key, p, through, clock, out);
        p.live = None;
        out.intervals
            .insert((key.clone(), live.from), Some(through));
        out.payments.insert(key.clone(), p.clone());
    }

    /// Accrues every live payment through `through`.
    fn flush_all(&mut self, through: u64, clock: &Clock, out: &mut Changes) {
        for (key, p) in self.payments.iter_mut() {
            accrue(key, p, through, clock, out);
        }
    }

    /// Hands `day`'s snapshot to the store: only what changed since the last one of the same
    /// day, else the whole of it.
    fn emit_snapshot(&mut self, day: NaiveDate, out: &mut Changes) {
        let snap = self.snapshot();
        let write = match &self.written {
            Some((d, before)) if *d == day => {
                let mut rows: Snapshot = snap
                    .iter()
                    .filter(|(g, v)| before.get(*g) != Some(*v))
                    .map(|(g, v)| (g.clone(), *v))
                    .collect();
                for g in before.keys().filter(|g| !snap.contains_key(*g)) {
                    rows.insert(g.clone(), (0, 0));
                }
                SnapshotWrite { full: false, rows }
            }
            _ => SnapshotWrite {
                full: true,
                rows: snap.clone(),
            },
        };
        // A day already in this batch's changes keeps its kind: a whole one stays whole (its
        // reset must not be lost), changes add up.
        match out.snapshots.get_mut(&day) {
            Some(w) if w.full => w.rows = snap.clone(),
            Some(w) => w.rows.extend(write.rows),
            None => {
                out.snapshots.insert(day, write);
            }
        }
        self.written = Some((day, snap));
    }

    /// Payments live after the last block seen, by group.
    fn snapshot(&self) -> Snapshot {
        let mut snap = Snapshot::new();
        for (key, p) in &self.payments {
            if p.live.is_some() {
                let e = snap.entry(p.group(key)).or_default();
                e.0 = e.0.saturating_add(1);
                e.1 = e.1.saturating_add(p.gpu_count);
            }
        }
        snap
    }

    /// Records the state of every entity touched (the rows reflect the end of the batch).
    fn record(&self, out: &mut Changes) {
        for (k, v) in out.accounts.iter_mut() {
            if let Some(a) = self.accounts.get(k) {
                *v = a.clone();
            }
        }
        for (k, v) in out.payments.iter_mut() {
            if let Some(p) = self.payments.get(k) {
                *v = p.clone();
            }
        }
    }
}

/// Adds `p`'s live blocks `(accrued_through, through]` to its day.
fn accrue(key: &PaymentKey, p: &mut Payment, through: u64, clock: &Clock, out: &mut Changes) {
    let Some(live) = p.live.as_mut() else { return };
    if through <= live.accrued_through {
        return;
    }
    match clock.accrue(live.accrued_through, through, p.rate, &p.denom) {
        Some(a) => {
            let group = LeaseGroup {
                denom: p.denom.clone(),
                provider: p.provider.clone(),
                owner: key.owner.clone(),
                gpu_model: p.gpu_model.clone(),
            };
            let row = out.lease_days.entry((a.day, group)).or_default();
            row.spend = row.spend.saturating_add(a.spend);
            row.spend_usd = match (row.spend_usd, a.spend_usd) {
                (Some(x), Some(y)) => Some(x.saturating_add(y)),
                (x, y) => x.or(y),
            };
            row.usd_estimated |= a.usd_estimated;
            row.live_blocks = row.live_blocks.saturating_add(a.blocks);
        }
        None => out.anomalies.push(format!(
            "{key:?}: blocks ({}, {through}] are not inside one day of this batch",
            live.accrued_through
        )),
    }
    live.accrued_through = through;
}
