//! What the scenario remembers about the chain so it can act without querying every block:
//! open deployments and their leases, hosts and reservations, pilots, allowances, and the market
//! (the AKT price the relayer walks, what is paused or halted). Shared by every actor.

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use cosmwasm_std::Decimal256;

/// A GPU model leased and hosted: name, list price in milli-USD per GPU-hour, and how often
/// leases ask for it (relative weight).
pub struct GpuModel {
    /// Name as leases and hosts declare it.
    pub name: &'static str,
    /// List price, milli-USD per GPU-hour (per lease-hour for CPU-only leases).
    pub milli_usd_per_hour: u128,
    /// Relative share of new leases.
    pub weight: u32,
}

/// The models leases and hosts use, from the biggest accelerator to CPU-only.
pub const GPU_MODELS: [GpuModel; 9] = [
    GpuModel {
        name: "h200",
        milli_usd_per_hour: 2_600,
        weight: 3,
    },
    GpuModel {
        name: "h100",
        milli_usd_per_hour: 1_900,
        weight: 10,
    },
    GpuModel {
        name: "a100",
        milli_usd_per_hour: 1_100,
        weight: 12,
    },
    GpuModel {
        name: "l40s",
        milli_usd_per_hour: 800,
        weight: 6,
    },
    GpuModel {
        name: "a6000",
        milli_usd_per_hour: 550,
        weight: 6,
    },
    GpuModel {
        name: "rtx4090",
        milli_usd_per_hour: 350,
        weight: 14,
    },
    GpuModel {
        name: "rtx3090",
        milli_usd_per_hour: 220,
        weight: 8,
    },
    GpuModel {
        name: "t4",
        milli_usd_per_hour: 150,
        weight: 5,
    },
    GpuModel {
        name: "none",
        milli_usd_per_hour: 60,
        weight: 36,
    },
];

/// A deployment's key: (tenant index, dseq).
pub type DeploymentKey = (usize, u64);

/// A lease (escrow payment) the scenario opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Lease {
    /// Payment id within the account.
    pub payment_id: u64,
    /// Index of the provider in the cast.
    pub provider: usize,
    /// GPU model.
    pub gpu_model: &'static str,
    /// GPUs (0 for CPU-only).
    pub gpu_count: u32,
    /// Rate per block.
    pub rate: Decimal256,
}

/// How a deployment's funding is meant to go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Funding {
    /// The owner tops up before the funds run out.
    Kept,
    /// Funds run out; the owner tops up within the grace window (the account reopens).
    Rescued,
    /// Funds run out and nobody tops up: it closes once the grace window ended.
    Abandoned,
}

/// A deployment: one escrow account and its leases.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Deployment {
    /// Index of the owner in the cast.
    pub owner: usize,
    /// Deployment sequence.
    pub dseq: u64,
    /// `uakt`, `uact` or the stablecoin.
    pub denom: String,
    /// Open leases (empty for a deployment that never leases).
    pub leases: Vec<Lease>,
    /// Chain time (s) the owner plans to close it.
    pub close_at_s: u64,
    /// Per-block charge of all leases, in whole denom units (rounded up).
    pub per_block: u128,
    /// Height from which the funds no longer cover a block (as the last event predicted).
    pub depletes_at: Option<u64>,
    /// Funding plan.
    pub funding: Funding,
    /// Sponsor whose allowance pays part of the top-ups.
    pub sponsor: Option<usize>,
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
    pub gpu_model: &'static str,
    /// Reclamation window (s), if the host can be reclaimed.
    pub reclamation_s: Option<u64>,
    /// Chain time (s) the attestation expires (0: none).
    pub attested_until_s: u64,
}

/// What the provider does with a booking.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BookingPlan {
    /// Confirms and claims as the term runs.
    Serve,
    /// Never answers: the request expires and is cancelled with a full refund.
    Ignore,
    /// Confirms, then cancels before the end (and gets slashed by governance).
    CancelLate,
    /// Confirms, then reclaims the host once the term started.
    Reclaim,
    /// Being reclaimed: ends at its deadline (the booking's `end_s`).
    Reclaiming,
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
    /// Term start and end (s).
    pub start_s: u64,
    /// Term end (s).
    pub end_s: u64,
    /// Provider confirmation deadline (s).
    pub confirm_by_s: u64,
    /// What the provider does.
    pub plan: BookingPlan,
    /// Confirmed by the provider.
    pub confirmed: bool,
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
    pub requested: BTreeSet<usize>,
    /// Closed (finalized or cancelled).
    pub closed: bool,
}

/// An allowance a sponsor granted a tenant.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Allowance {
    /// Denom.
    pub denom: String,
    /// Height it expires at, if any.
    pub expires_at: Option<u64>,
}

/// The market as the actors see it.
#[derive(Clone, Debug, Default)]
pub struct Market {
    /// AKT price in Pyth raw units (expo −8), the relayer's random walk.
    pub price_raw: i64,
    /// Chain time (s) of the last push.
    pub last_push_s: u64,
    /// The relayer already pushed in the open block.
    pub fresh_price: bool,
    /// The relayers are down (oracle outage): nobody pushes.
    pub relayers_down: bool,
    /// The second relayer's source is on the oracle.
    pub relayer_b_listed: bool,
    /// Relative bias of the second relayer's prices (a deviating source), e.g. 0.04.
    pub relayer_b_bias: f64,
    /// A target the walk is pulled to instead of its long-run mean (a crash, a recovery).
    pub target_raw: Option<i64>,
    /// The walk stands still: routine pushes repeat the last price.
    pub frozen: bool,
    /// Contracts paused by governance.
    pub paused: BTreeSet<&'static str>,
    /// Queued bme requests not yet executed or cancelled.
    pub bme_pending: u64,
    /// Height from which the next bme epoch may run.
    pub bme_due: u64,
}

/// The scenario's memory.
#[derive(Clone, Debug, Default)]
pub struct World {
    /// Prices, pauses, bme queue.
    pub market: Market,
    /// Open deployments.
    pub deployments: BTreeMap<DeploymentKey, Deployment>,
    /// Next dseq per tenant.
    pub next_dseq: BTreeMap<usize, u64>,
    /// Closed deployments whose refunds are not finished.
    pub refunds: VecDeque<DeploymentKey>,
    /// Registered hosts.
    pub hosts: Vec<Host>,
    /// Live reservations.
    pub bookings: Vec<Booking>,
    /// Pilots.
    pub pilots: Vec<PilotModel>,
    /// Allowances: (sponsor, tenant) → allowance.
    pub allowances: BTreeMap<(usize, usize), Allowance>,
}

impl World {
    /// The current AKT price in milli-USD (at least 1).
    pub fn price_milli(&self) -> u128 {
        u128::try_from(self.market.price_raw / 100_000)
            .unwrap_or(1)
            .max(1)
    }

    /// Units of `denom` per hour for `usd_milli` milli-USD per hour (uakt at the current price;
    /// uact and the stablecoin 1:1 with USD).
    pub fn per_hour(&self, denom: &str, usd_milli: u128) -> u128 {
        if denom == "uakt" {
            usd_milli * 1_000_000 / self.price_milli()
        } else {
            usd_milli * 1_000
        }
    }

    /// The next dseq of `tenant`.
    pub fn take_dseq(&mut self, tenant: usize) -> u64 {
        let next = self.next_dseq.entry(tenant).or_insert(1);
        let d = *next;
        *next += 1;
        d
    }

    /// Forgets a closed account, queueing its refunds.
    pub fn closed(&mut self, key: DeploymentKey, refunds_pending: u64) {
        self.deployments.remove(&key);
        if refunds_pending > 0 && !self.refunds.contains(&key) {
            self.refunds.push_back(key);
        }
    }

    /// Leases (owner, dseq, payment id) of `provider`, in key order.
    pub fn leases_of(&self, provider: usize) -> Vec<(DeploymentKey, u64)> {
        self.deployments
            .iter()
            .flat_map(|(key, d)| {
                d.leases
                    .iter()
                    .filter(move |l| l.provider == provider)
                    .map(move |l| (*key, l.payment_id))
            })
            .collect()
    }
}
