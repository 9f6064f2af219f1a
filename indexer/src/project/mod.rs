//! Project: the state the events describe (escrow accounts, payments and their live intervals,
//! allowances) and the per-day rollups (lease spend, depositor spend, network figures), computed in
//! memory block by block. Pure: no SQL. The store loads the state the projector starts from and
//! writes the [`Changes`] of each batch in the batch's transaction, so both are always exactly as
//! current as the cursor.
//!
//! The projector never re-implements settlement maths: a payment's live blocks come from the
//! heights the contract's events carry (`payment_opened`, `depletes_at` / `exhausted_at`,
//! `reopened`, `payment_closed`), and spend is its rate for each live block.

pub mod clock;
pub mod escrow;
pub mod network;
pub mod price;

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use supercloud_events::SupercloudEvent;

pub use clock::Clock;
pub use escrow::{Account, AccountKey, Allowance, AllowanceKey, EscrowBook, Payment, PaymentKey};
pub use network::{NetworkBook, NetworkDay};
pub use price::{PriceBook, UsdRule};

/// One block as the projector reads it: its height, time and catalogue events in chain order.
pub struct BlockIn<'a> {
    pub height: u64,
    pub time: DateTime<Utc>,
    pub events: Vec<&'a SupercloudEvent>,
}

/// The `daily_lease` grain below the day.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LeaseGroup {
    pub denom: String,
    pub provider: String,
    pub owner: String,
    pub gpu_model: String,
}

/// Additions to one `daily_lease` row.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LeaseDay {
    /// Σ rate over live blocks, in base units (fractional).
    pub spend: cosmwasm_std::Decimal256,
    /// The same in USD; `None` for a denom without a USD value.
    pub spend_usd: Option<clock::Usd>,
    /// A carried (stale) price was used for some block.
    pub usd_estimated: bool,
    pub live_blocks: u64,
    pub leases_opened: u32,
}

/// Payments live after a day's last indexed block, by group: (leases, GPUs).
pub type Snapshot = BTreeMap<LeaseGroup, (u32, u32)>;

/// How a day's snapshot is written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnapshotWrite {
    /// `true`: `rows` is the whole snapshot (every other group of the day has none); `false`:
    /// `rows` are only the groups that changed since the last write (zeros included).
    pub full: bool,
    pub rows: Snapshot,
}

/// Everything a batch changed, as rows for the store.
#[derive(Debug, Default)]
pub struct Changes {
    /// Accounts touched, in their state after the batch.
    pub accounts: BTreeMap<AccountKey, Account>,
    pub payments: BTreeMap<PaymentKey, Payment>,
    /// (payment, from_height) → to_height (`None`: still live).
    pub intervals: BTreeMap<(PaymentKey, u64), Option<u64>>,
    pub allowances: BTreeMap<AllowanceKey, Allowance>,
    /// Additions per (day, group).
    pub lease_days: BTreeMap<(NaiveDate, LeaseGroup), LeaseDay>,
    /// Active-lease snapshots to write, per day.
    pub snapshots: BTreeMap<NaiveDate, SnapshotWrite>,
    /// Additions per (day, denom, depositor, owner).
    pub depositor_days: BTreeMap<(NaiveDate, String, String, String), cosmwasm_std::Uint256>,
    /// Network figures per day (flows are additions, levels replace).
    pub network_days: BTreeMap<NaiveDate, NetworkDay>,
    /// Alerts whose state changed, at the block where it did.
    pub alert_transitions: Vec<crate::alerts::rule::Transition>,
    /// Alerts the writer turned off (their account closed).
    pub alerts_disabled: Vec<crate::alerts::Disabled>,
    /// Events that contradict the state the projector holds (logged and counted; tests want 0).
    pub anomalies: Vec<String>,
}

/// The projector: the in-memory state between batches.
#[derive(Debug, Default)]
pub struct Projector {
    pub escrow: EscrowBook,
    pub price: PriceBook,
    pub network: NetworkBook,
    pub usd: UsdRule,
    /// Enabled alert rules (set by the store before each batch of a sync).
    pub alerts: crate::alerts::AlertBook,
}

impl Projector {
    /// Projects consecutive blocks (ascending, starting right after the state's height).
    pub fn project(&mut self, blocks: &[BlockIn<'_>]) -> Changes {
        let mut out = Changes::default();
        let Some(first) = blocks.first() else {
            return out;
        };
        // The price in force at each block, known before the spend of any block is counted.
        let prices: Vec<_> = blocks
            .iter()
            .map(|b| self.price.observe(&b.events))
            .collect();
        let clock = Clock::new(first.height, blocks, &prices, &self.usd);
        for (b, price) in blocks.iter().zip(&prices) {
            let day = b.time.date_naive();
            self.escrow.before_block(b.height, day, &clock, &mut out);
            self.network.block(b.height, b.time, *price, &mut out);
            for ev in &b.events {
                match ev {
                    SupercloudEvent::Escrow(e) => {
                        self.escrow.apply(b.height, day, e, &clock, &mut out)
                    }
                    other => self.network.apply(day, other, &mut out),
                }
            }
            self.alerts.after_block(
                b.height,
                b.time,
                &self.escrow.accounts,
                &mut out.alert_transitions,
                &mut out.alerts_disabled,
            );
        }
        if let Some(last) = blocks.last() {
            self.escrow
                .end_batch(last.height, last.time.date_naive(), &clock, &mut out);
        }
        out
    }
}

#[cfg(test)]
mod tests;
