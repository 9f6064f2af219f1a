//! The cast: named accounts derived from the chain seed, their genesis balances, and how popular
//! each tenant and provider is.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use crate::chain::{Account, Chain, ChainConfig};

use super::config::ScenarioConfig;

/// 1 AKT in uakt.
pub const AKT: u128 = 1_000_000;

/// The USD stablecoin, allow-listed in escrow and reservations at genesis.
pub const STABLE: &str = supercloud_chain::USDC_DENOM;

/// Every account the scenario acts with.
#[derive(Clone, Debug)]
pub struct Cast {
    /// Submits proposals.
    pub proposer: Account,
    /// Validators (vote on proposals).
    pub validators: Vec<Account>,
    /// Pushes prices to the oracle and publishes them on mock-pyth.
    pub relayer: Account,
    /// A second, independent price pusher (added to the oracle by governance).
    pub relayer_b: Account,
    /// Calls the permissionless keeper entry points (bme `process`, pip settlement, refunds,
    /// expired reservations, reclamation ends).
    pub keeper: Account,
    /// Receives slashed bonds and unspent pilot budgets.
    pub treasury: Account,
    /// A council multisig that governance hands an authority to for a while.
    pub council: Account,
    /// Records host attestations (appointed by governance).
    pub auditor: Account,
    /// Approves pilot enrollments.
    pub pilot_admin: Account,
    /// Sends the deliberately failing txs.
    pub stranger: Account,
    /// Deployment owners, most active first.
    pub tenants: Vec<Account>,
    /// Fund tenants through escrow allowances.
    pub sponsors: Vec<Account>,
    /// Lease, host and get paid, most popular first.
    pub providers: Vec<Account>,
    /// Popularity of tenants.
    pub tenant_weights: Zipf,
    /// Popularity of providers.
    pub provider_weights: Zipf,
}

fn names(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}-{i}")).collect()
}

/// The genesis balances (uakt) of the cast, to put in [`ChainConfig::accounts`].
pub fn genesis_accounts(cfg: &ScenarioConfig) -> Vec<(String, u128)> {
    let mut out: Vec<(String, u128)> = vec![
        ("relayer".into(), 1_000_000 * AKT),
        ("relayer-b".into(), 1_000_000 * AKT),
        ("keeper".into(), 1_000_000 * AKT),
        ("treasury".into(), AKT),
        ("council".into(), 100_000 * AKT),
        ("auditor".into(), 100_000 * AKT),
        ("pilot-admin".into(), 100_000 * AKT),
        ("stranger".into(), 10_000 * AKT),
    ];
    out.extend(
        names("tenant", cfg.tenants)
            .into_iter()
            .map(|n| (n, 50_000_000 * AKT)),
    );
    out.extend(
        names("sponsor", cfg.sponsors)
            .into_iter()
            .map(|n| (n, 50_000_000 * AKT)),
    );
    out.extend(
        names("provider", cfg.providers)
            .into_iter()
            .map(|n| (n, 5_000_000 * AKT)),
    );
    out
}

/// Genesis balances in the stablecoin: (account, denom, amount).
pub fn genesis_stable(cfg: &ScenarioConfig) -> Vec<(String, String, u128)> {
    names("tenant", cfg.tenants)
        .into_iter()
        .chain(names("sponsor", cfg.sponsors))
        .map(|n| (n, STABLE.to_string(), 100_000_000 * AKT))
        .collect()
}

/// The account for transactions from outside (CosmJS, a wallet): BIP-44 index 0 of the
/// devnet's mnemonic, funded at genesis and never used by the scenario.
pub const DEV_ACCOUNT: &str = "dev";
/// Its genesis funds: 1,000,000 AKT.
pub const DEV_FUNDS: u128 = 1_000_000 * AKT;

/// A chain configuration with the cast funded; [`DEV_ACCOUNT`] first, so it is index 0.
pub fn chain_config(cfg: &ScenarioConfig, base: ChainConfig) -> ChainConfig {
    let mut accounts = vec![(DEV_ACCOUNT.to_string(), DEV_FUNDS)];
    accounts.extend(base.accounts.iter().cloned());
    accounts.extend(genesis_accounts(cfg));
    let mut extra_balances = base.extra_balances.clone();
    extra_balances.extend(genesis_stable(cfg));
    ChainConfig {
        accounts,
        extra_balances,
        ..base
    }
}

impl Cast {
    /// Derives the cast on `chain` (whose config should come from [`chain_config`]).
    pub fn derive(chain: &mut Chain, cfg: &ScenarioConfig) -> anyhow::Result<Self> {
        let validators = chain
            .config()
            .validators
            .clone()
            .iter()
            .map(|n| chain.account(n))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let mut many = |prefix: &str, n: usize| -> anyhow::Result<Vec<Account>> {
            names(prefix, n)
                .iter()
                .map(|name| chain.account(name))
                .collect()
        };
        let tenants = many("tenant", cfg.tenants)?;
        let sponsors = many("sponsor", cfg.sponsors)?;
        let providers = many("provider", cfg.providers)?;
        anyhow::ensure!(
            !validators.is_empty() && !tenants.is_empty() && !providers.is_empty(),
            "the scenario needs at least one validator, tenant and provider"
        );
        Ok(Cast {
            proposer: validators[0].clone(),
            validators,
            relayer: chain.account("relayer")?,
            relayer_b: chain.account("relayer-b")?,
            keeper: chain.account("keeper")?,
            treasury: chain.account("treasury")?,
            council: chain.account("council")?,
            auditor: chain.account("auditor")?,
            pilot_admin: chain.account("pilot-admin")?,
            stranger: chain.account("stranger")?,
            tenant_weights: Zipf::new(tenants.len(), cfg.zipf_s),
            provider_weights: Zipf::new(providers.len(), cfg.zipf_s),
            tenants,
            sponsors,
            providers,
        })
    }

    /// Index of the tenant with address `addr`.
    pub fn tenant_index(&self, addr: &str) -> Option<usize> {
        self.tenants.iter().position(|t| t.addr.as_str() == addr)
    }
}

/// A Zipf distribution over `0..n`: index `i` has weight `1 / (i + 1)^s`.
#[derive(Clone, Debug, PartialEq)]
pub struct Zipf {
    /// Cumulative weights, normalised to end at 1.
    cumulative: Vec<f64>,
}

impl Zipf {
    /// The distribution over `n` items with exponent `s` (uniform for `s = 0`).
    pub fn new(n: usize, s: f64) -> Self {
        let weights: Vec<f64> = (1..=n.max(1)).map(|i| (i as f64).powf(-s)).collect();
        let total: f64 = weights.iter().sum();
        let mut acc = 0.0;
        let cumulative = weights
            .iter()
            .map(|w| {
                acc += w / total;
                acc
            })
            .collect();
        Zipf { cumulative }
    }

    /// A draw.
    pub fn sample(&self, rng: &mut ChaCha8Rng) -> usize {
        let u: f64 = rng.random();
        self.cumulative
            .partition_point(|c| *c < u)
            .min(self.cumulative.len() - 1)
    }

    /// Probability of index `i`.
    pub fn probability(&self, i: usize) -> f64 {
        let below = if i == 0 { 0.0 } else { self.cumulative[i - 1] };
        self.cumulative.get(i).map_or(0.0, |c| c - below)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn zipf_favours_the_head_and_reaches_the_tail() {
        let z = Zipf::new(12, 1.1);
        let total: f64 = (0..12).map(|i| z.probability(i)).sum();
        assert!((total - 1.0).abs() < 1e-9);
        // Independent: 1/1 vs 1/6.5^1.1 between the first and the median weight.
        let ratio = z.probability(0) / ((z.probability(5) + z.probability(6)) / 2.0);
        assert!(ratio > 6.0 && ratio < 9.0, "{ratio}");
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let mut counts = [0u32; 12];
        for _ in 0..20_000 {
            counts[z.sample(&mut rng)] += 1;
        }
        assert!(counts.iter().all(|c| *c > 0), "{counts:?}");
        assert!(counts[0] > 5 * counts[6], "{counts:?}");
        let uniform = Zipf::new(4, 0.0);
        assert!((uniform.probability(3) - 0.25).abs() < 1e-12);
    }
}
