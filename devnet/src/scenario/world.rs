//! What the scenario remembers about the chain so it can act without querying every block:
//! open deployments and their leases, hosts and reservations, pilots, the price.

use std::collections::BTreeMap;

/// GPU models leased and hosted, with a list price in milli-USD per GPU-hour.
pub const GPU_MODELS: [(&str, u128); 4] = [
    ("h100", 1_900),
    ("a100", 1_100),
    ("rtx4090", 350),
    ("none", 60),
];

/// A lease (escrow payment) the scenario opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lease {
    /// Payment id within the account.
    pub payment_id: u64,
    /// Index of the provider in the cast.
    pub provider: usize,
    /// GPU model.
    pub gpu_model: String,
    /// GPUs (0 for CPU-only).
    pub gpu_count: u32,
    /// Rate per block, as the decimal string sent.
    pub rate: String,
    /// Milli-USD per hour the rate was derived from.
    pub usd_milli_per_hour: u128,
}

/// A deployment: one escrow account and its leases.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deployment {
    /// Index of the owner in the cast.
    pub owner: usize,
    /// Deployment sequence.
    pub dseq: u64,
    /// `uakt` or `uact`.
    pub denom: String,
    /// Open leases.
    pub leases: Vec<Lease>,
    /// Chain time (s) the owner plans to close it.
    pub close_at_s: u64,
    /// Chain time (s) of the next top-up, if one is planned.
    pub top_up_at_s: Option<u64>,
    /// Per-block charge of all leases, in whole denom units (rounded up).
    pub per_block: u128,
}

/// A host registered by a provider.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Host {
    /// Index of the provider.
    pub provider: usize,
    /// Host id.
    pub host_id: String,
    /// Price denom.
    pub denom: String,
    /// GPU model.
    pub gpu_model: String,
    /// Chain time (s) the attestation expires.
    pub attested_until_s: u64,
}

/// A reservation the scenario booked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Booking {
    /// Reservation id.
    pub id: u64,
    /// Index of the host in [`World::hosts`].
    pub host: usize,
    /// Index of the tenant.
    pub tenant: usize,
    /// Term end (s).
    pub end_s: u64,
    /// Confirmed by the provider.
    pub confirmed: bool,
    /// Chain time (s) of the next claim.
    pub next_claim_s: u64,
}

/// An incentive pilot created by governance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PilotModel {
    /// Pilot id.
    pub id: u64,
    /// First height (exclusive) of the pilot's work.
    pub start: u64,
    /// Last height of the pilot's work.
    pub end: u64,
    /// Blocks per epoch.
    pub epoch_length: u64,
    /// Number of epochs.
    pub epochs: u32,
    /// Next epoch to settle.
    pub next_epoch: u32,
    /// Providers whose enrollment was requested.
    pub requested: Vec<usize>,
    /// Closed (finalized).
    pub closed: bool,
}

/// A proposal the scenario is waiting on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PendingProposal {
    /// Proposal id.
    pub id: u64,
    /// What it does (for the report).
    pub what: String,
}

/// The scenario's memory.
#[derive(Clone, Debug, Default)]
pub struct World {
    /// AKT price in Pyth raw units (expo −8).
    pub price_raw: i64,
    /// Chain time (s) of the last price push.
    pub last_push_s: u64,
    /// Open deployments by (owner, dseq).
    pub deployments: BTreeMap<(usize, u64), Deployment>,
    /// Next dseq per tenant.
    pub next_dseq: BTreeMap<usize, u64>,
    /// Closed deployments whose refunds are not finished.
    pub refunds: Vec<(usize, u64)>,
    /// Registered hosts.
    pub hosts: Vec<Host>,
    /// Live reservations.
    pub bookings: Vec<Booking>,
    /// Pilots.
    pub pilots: Vec<PilotModel>,
    /// Proposals in their voting period.
    pub proposals: Vec<PendingProposal>,
    /// Scheduled proposals already submitted (by name).
    pub proposed: Vec<String>,
    /// bme requests queued and not yet processed.
    pub bme_pending: u64,
    /// Height from which the next bme epoch may run.
    pub bme_due: u64,
    /// Allowances granted: (sponsor, tenant) → denom.
    pub allowances: BTreeMap<(usize, usize), String>,
    /// Chain time (s) of each provider's next withdrawal round.
    pub next_withdraw_s: BTreeMap<usize, u64>,
}
