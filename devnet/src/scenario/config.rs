//! Scenario knobs: the seed, the cast, and how simulated time is stepped.

/// Configuration of the traffic generator.
#[derive(Clone, Debug, PartialEq)]
pub struct ScenarioConfig {
    /// Seed of every random choice (ChaCha8); the same seed gives the same chain.
    pub seed: u64,
    /// Number of tenants (deployment owners).
    pub tenants: usize,
    /// Number of sponsors (fund tenants through escrow allowances).
    pub sponsors: usize,
    /// Number of providers (leases, hosts, bonds, pilot enrollment).
    pub providers: usize,
    /// Chain seconds per block while fast-forwarding history.
    pub history_block_time_s: u64,
    /// Chain seconds between relayer price pushes when nothing else needs a fresh price.
    pub price_interval_s: u64,
    /// Expected new deployments per tenant per simulated day.
    pub deployments_per_tenant_day: f64,
    /// Expected deliberately failing txs per simulated day.
    pub failures_per_day: f64,
    /// Activity multiplier once live (a live chain-day passes in hours of wall time; denser
    /// traffic keeps a dashboard moving).
    pub live_activity: f64,
    /// Chain seconds between relayer pushes once live.
    pub live_price_interval_s: u64,
}

impl Default for ScenarioConfig {
    fn default() -> Self {
        ScenarioConfig {
            seed: 1,
            tenants: 8,
            sponsors: 3,
            providers: 5,
            history_block_time_s: 300,
            price_interval_s: 3_600,
            deployments_per_tenant_day: 0.5,
            failures_per_day: 2.0,
            live_activity: 30.0,
            live_price_interval_s: 60,
        }
    }
}
