//! Command-line flags of the `devnet` binary and what they turn into.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clap::Parser;

use crate::chain::ChainConfig;
use crate::rpc::FaultConfig;
use crate::runner::DevnetConfig;
use crate::scenario::{Load, ScenarioConfig, DAY_S};

/// A local Akash-like chain running the compiled Supercloud contracts, with simulated history
/// and live blocks, served over CometBFT 0.38 JSON-RPC.
#[derive(Clone, Debug, Parser)]
#[command(name = "devnet", version, args_override_self = true)]
pub struct Args {
    /// Address the CometBFT RPC listens on.
    #[arg(long, default_value = "127.0.0.1:26657")]
    pub listen: String,
    /// Load profile: `demo` (a month of light traffic with every stress path) or
    /// `mainnet-day` (~14,400 blocks, ~1,500 active leases, ~8,600 deployments created).
    #[arg(long, default_value = "demo")]
    pub load: Load,
    /// Seed of the accounts and of the traffic (same seed and genesis time, same block hashes).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Simulated days of history before going live (default: the profile's, 30 for `demo`,
    /// 1 for `mainnet-day`).
    #[arg(long)]
    pub days: Option<u64>,
    /// Chain time per block, in the history and live.
    #[arg(long, default_value = "6s", value_parser = parse_duration)]
    pub block_time: Duration,
    /// Chain time per block of the history when it differs from `--block-time` (coarse
    /// histories for long benchmarks); lease rates are per block, so such a history cannot go
    /// live: it needs `--no-live`.
    #[arg(long, value_parser = parse_duration)]
    pub history_block_time: Option<Duration>,
    /// Wall time between live blocks while the chain is behind the wall clock (its history
    /// ended in the past); at the wall clock it seals one block per `--block-time`.
    #[arg(long, default_value = "250ms", value_parser = parse_duration)]
    pub live_interval: Duration,
    /// Genesis time in unix seconds (default: so that the history ends just before now,
    /// rounded down to the minute). Give it to get the same block hashes twice.
    #[arg(long)]
    pub genesis_time: Option<u64>,
    /// Keep only the N most recent blocks (older heights answer CometBFT's "lowest height"
    /// error, as a pruned node does).
    #[arg(long)]
    pub keep_recent: Option<u64>,
    /// Chain time a proposal is voted on.
    #[arg(long, default_value = "60s", value_parser = parse_duration)]
    pub voting_period: Duration,
    /// Tenants in the scenario (default: the profile's).
    #[arg(long)]
    pub tenants: Option<usize>,
    /// Providers in the scenario (default: the profile's).
    #[arg(long)]
    pub providers: Option<usize>,
    /// Sponsors in the scenario (default: the profile's).
    #[arg(long)]
    pub sponsors: Option<usize>,
    /// Stop after the history instead of producing live blocks.
    #[arg(long)]
    pub no_live: bool,
    /// Seed of the RPC fault injection.
    #[arg(long, default_value_t = 0)]
    pub fault_seed: u64,
    /// Latency added to every RPC answer.
    #[arg(long, default_value = "0ms", value_parser = parse_duration)]
    pub fault_latency: Duration,
    /// Fraction of HTTP requests answered with 429.
    #[arg(long, default_value_t = 0.0)]
    pub fault_429: f64,
    /// Fraction of HTTP requests answered with 503.
    #[arg(long, default_value_t = 0.0)]
    pub fault_5xx: f64,
    /// Fraction of JSON bodies cut in half.
    #[arg(long, default_value_t = 0.0)]
    pub fault_truncate: f64,
    /// Drop each websocket after this many messages (0: never).
    #[arg(long, default_value_t = 0)]
    pub fault_ws_drop_after: u64,
    /// Serve the tip minus this many blocks.
    #[arg(long, default_value_t = 0)]
    pub fault_lag_blocks: u64,
    /// Keep compiled contract modules in this directory across runs (the workspace's
    /// target/vm-cache is one); only supercloud-vm may write it. Default: a fresh temp dir.
    #[arg(long)]
    pub vm_cache: Option<std::path::PathBuf>,
}

/// Parses `500ms`, `6s`, `5m`, `2h`, `1d` (a bare number is seconds).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let n: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a duration like 500ms, 6s, 5m, 2h, 1d"))?;
    let ms = match unit {
        "ms" => n,
        "" | "s" => n * 1_000,
        "m" => n * 60_000,
        "h" => n * 3_600_000,
        "d" => n * 86_400_000,
        other => return Err(format!("unknown duration unit `{other}` in `{text}`")),
    };
    Ok(Duration::from_millis(ms))
}

fn whole_seconds(d: Duration, what: &str) -> anyhow::Result<u64> {
    let s = d.as_secs();
    anyhow::ensure!(
        s > 0 && d.subsec_nanos() == 0,
        "{what} must be whole seconds, at least 1 s"
    );
    Ok(s)
}

impl Args {
    /// Simulated days of history: the flag or the profile's.
    pub fn history_days(&self) -> u64 {
        self.days.unwrap_or_else(|| self.load.default_days())
    }

    /// Genesis time: the flag, or so that the history ends a few minutes before now (the days
    /// of history, the genesis proposals' voting periods and a margin), on the minute.
    pub fn genesis_time_s(&self) -> anyhow::Result<u64> {
        if let Some(t) = self.genesis_time {
            return Ok(t);
        }
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_err(|e| anyhow::anyhow!("system clock before 1970: {e}"))?
            .as_secs();
        let setup = 3 * self.voting_period.as_secs() + 300;
        let start = now.saturating_sub(self.history_days() * DAY_S + setup);
        Ok(start - start % 60)
    }

    /// The devnet configuration.
    pub fn devnet_config(&self) -> anyhow::Result<DevnetConfig> {
        let block_time_s = whole_seconds(self.block_time, "--block-time")?;
        let history_block_time_s = self
            .history_block_time
            .map(|d| whole_seconds(d, "--history-block-time"))
            .transpose()?
            .filter(|s| *s != block_time_s);
        anyhow::ensure!(
            history_block_time_s.is_none() || self.no_live,
            "--history-block-time differs from --block-time: lease rates are per block, so such a \
             history cannot go live; add --no-live"
        );
        anyhow::ensure!(
            self.keep_recent != Some(0),
            "--keep-recent must keep at least one block"
        );
        let chain = ChainConfig {
            genesis_time_s: self.genesis_time_s()?,
            block_time_s,
            voting_period_s: whole_seconds(self.voting_period, "--voting-period")?,
            seed: self.seed,
            ..ChainConfig::default()
        };
        let profile = ScenarioConfig::profile(self.load, self.seed);
        let scenario = ScenarioConfig {
            tenants: self.tenants.unwrap_or(profile.tenants).max(1),
            providers: self.providers.unwrap_or(profile.providers).max(1),
            sponsors: self.sponsors.unwrap_or(profile.sponsors),
            history_block_time_s,
            ..profile
        };
        Ok(DevnetConfig {
            chain,
            scenario,
            history_days: self.history_days(),
            live_interval: (!self.no_live).then_some(self.live_interval),
            keep_recent: self.keep_recent,
            vm_cache: self.vm_cache.clone(),
        })
    }

    /// The RPC fault switches.
    pub fn faults(&self) -> FaultConfig {
        FaultConfig {
            seed: self.fault_seed,
            latency: self.fault_latency,
            rate_429: self.fault_429,
            rate_5xx: self.fault_5xx,
            rate_truncate: self.fault_truncate,
            ws_drop_after: self.fault_ws_drop_after,
            lag_blocks: self.fault_lag_blocks,
        }
    }
}
