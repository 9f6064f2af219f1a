//! Scenario knobs: the named load profiles (`--load demo`, `--load mainnet-day`), the seed, the
//! cast, and how much of each kind of traffic a simulated day carries.
//!
//! The mainnet figures the profiles follow (shared/context, Akash 2025): 3.1 M deployments
//! created in a year (~8,600 a day) of which ~96 % never get a lease, 126 k new leases (~345 a
//! day), 1,300 to 1,500 deployments active at a time, blocks of about 6 s (~14,400 a day).

use std::fmt;
use std::str::FromStr;

/// A named load profile.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Load {
    /// What the demo runs: a month of light traffic with every stress path (overdraws, oracle
    /// outage, bme halt, reclamation, slashes, pilot cancel, upgrade, ...) at least once.
    #[default]
    Demo,
    /// One mainnet day: ~14,400 blocks of 6 s, ~1,500 active leases, ~8,600 deployments created
    /// (most never leased), oracle updates every few blocks. The benchmark input.
    MainnetDay,
}

impl Load {
    /// Every profile.
    pub const ALL: [Load; 2] = [Load::Demo, Load::MainnetDay];

    /// The flag value (`demo`, `mainnet-day`).
    pub fn name(self) -> &'static str {
        match self {
            Load::Demo => "demo",
            Load::MainnetDay => "mainnet-day",
        }
    }

    /// Simulated days of history the profile builds unless told otherwise.
    pub fn default_days(self) -> u64 {
        match self {
            Load::Demo => 30,
            Load::MainnetDay => 1,
        }
    }
}

impl fmt::Display for Load {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Load {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Load::ALL
            .into_iter()
            .find(|l| l.name() == s)
            .ok_or_else(|| format!("unknown load profile `{s}` (known: demo, mainnet-day)"))
    }
}

/// Configuration of the traffic generator (see [`ScenarioConfig::profile`]).
#[derive(Clone, Debug, PartialEq)]
pub struct ScenarioConfig {
    /// The profile these values came from.
    pub load: Load,
    /// Seed of every random choice (ChaCha8); the same seed gives the same chain.
    pub seed: u64,
    /// Number of tenants (deployment owners).
    pub tenants: usize,
    /// Number of sponsors (fund tenants through escrow allowances).
    pub sponsors: usize,
    /// Number of providers (leases, hosts, bonds, pilot enrollment).
    pub providers: usize,
    /// Zipf exponent of provider and tenant popularity (the i-th most popular is picked with
    /// weight `1 / i^s`): a few large providers and tenants, a long tail.
    pub zipf_s: f64,
    /// Chain seconds per block of the history; `None`: the chain's block time. Lease rates are
    /// per block, so a history at another block time cannot go live (the CLI refuses it).
    pub history_block_time_s: Option<u64>,
    /// New deployments per simulated day, all tenants together.
    pub deployments_per_day: f64,
    /// Share of new deployments that open leases (the rest never lease and close after a while).
    pub leased_share: f64,
    /// Median life of a leased deployment, in hours (log-normal, capped at 30 days).
    pub leased_median_hours: f64,
    /// Median life of a deployment that never leases, in minutes.
    pub leaseless_median_minutes: f64,
    /// Leased deployments already running when the history starts (opened over its first
    /// hours), so a short history starts at a realistic number of active leases.
    pub warm_deployments: usize,
    /// Share of leased deployments funded for only part of their life: they run out of funds,
    /// and about half are rescued by a top-up within the grace window.
    pub underfunded_share: f64,
    /// Chance per lease that its provider closes it before the tenant does.
    pub provider_close_share: f64,
    /// Share of deployments (leased or not) paid in the USD stablecoin.
    pub stable_share: f64,
    /// Share of leased deployments paid in ACT (when the tenant holds enough).
    pub act_share: f64,
    /// ACT mints per simulated day, all tenants.
    pub mints_per_day: f64,
    /// ACT burns per simulated day, all tenants.
    pub burns_per_day: f64,
    /// New sponsor allowances per simulated day.
    pub grants_per_day: f64,
    /// Reservation bookings per simulated day.
    pub bookings_per_day: f64,
    /// Deliberately failing txs per simulated day.
    pub failures_per_day: f64,
    /// Chain seconds between relayer price pushes in the history (and before any
    /// price-dependent tx).
    pub price_interval_s: u64,
    /// Chain seconds between relayer pushes once live.
    pub live_price_interval_s: u64,
    /// Chain seconds between a provider's withdrawal rounds.
    pub withdraw_every_s: u64,
    /// Traffic multiplier once live (the live chain runs at the wall clock's pace; a denser
    /// live traffic keeps a dashboard moving).
    pub live_activity: f64,
    /// Run the stress calendar (outage, crash, pause, slash, upgrade, ...; see `incidents`).
    pub incidents: bool,
}

impl ScenarioConfig {
    /// The values of `load` with `seed`.
    pub fn profile(load: Load, seed: u64) -> Self {
        match load {
            Load::Demo => ScenarioConfig {
                load,
                seed,
                tenants: 40,
                sponsors: 4,
                providers: 12,
                zipf_s: 1.1,
                history_block_time_s: None,
                deployments_per_day: 20.0,
                leased_share: 0.3,
                leased_median_hours: 60.0,
                leaseless_median_minutes: 90.0,
                warm_deployments: 12,
                underfunded_share: 0.12,
                provider_close_share: 0.04,
                stable_share: 0.2,
                act_share: 0.3,
                mints_per_day: 4.0,
                burns_per_day: 1.0,
                grants_per_day: 0.8,
                bookings_per_day: 2.0,
                failures_per_day: 2.0,
                price_interval_s: 3_600,
                live_price_interval_s: 60,
                withdraw_every_s: 12 * 3_600,
                live_activity: 10.0,
                incidents: true,
            },
            Load::MainnetDay => ScenarioConfig {
                load,
                seed,
                tenants: 400,
                sponsors: 10,
                providers: 60,
                zipf_s: 1.1,
                history_block_time_s: None,
                deployments_per_day: 7_600.0,
                leased_share: 0.04,
                leased_median_hours: 72.0,
                leaseless_median_minutes: 20.0,
                warm_deployments: 980,
                underfunded_share: 0.05,
                provider_close_share: 0.03,
                stable_share: 0.25,
                act_share: 0.25,
                mints_per_day: 60.0,
                burns_per_day: 12.0,
                grants_per_day: 10.0,
                bookings_per_day: 20.0,
                failures_per_day: 24.0,
                price_interval_s: 18,
                live_price_interval_s: 18,
                withdraw_every_s: 6 * 3_600,
                live_activity: 1.0,
                incidents: false,
            },
        }
    }
}

impl Default for ScenarioConfig {
    fn default() -> Self {
        ScenarioConfig::profile(Load::Demo, 1)
    }
}
