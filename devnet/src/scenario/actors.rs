//! The cast: named accounts derived from the chain seed, and their genesis balances.

use crate::chain::{Account, Chain, ChainConfig};

use super::config::ScenarioConfig;

/// 1 AKT in uakt.
pub const AKT: u128 = 1_000_000;

/// Every account the scenario acts with.
#[derive(Clone, Debug)]
pub struct Actors {
    /// Submits proposals.
    pub proposer: Account,
    /// Validators (vote on proposals).
    pub validators: Vec<Account>,
    /// Pushes prices to the oracle and publishes them on mock-pyth.
    pub relayer: Account,
    /// Calls the permissionless keeper entry points (bme `process`, pip settlement, refunds).
    pub keeper: Account,
    /// Receives slashed bonds and unspent pilot budgets.
    pub treasury: Account,
    /// Records host attestations (appointed by governance).
    pub auditor: Account,
    /// Approves pilot enrollments.
    pub pilot_admin: Account,
    /// Sends the deliberately failing txs.
    pub stranger: Account,
    /// Deployment owners.
    pub tenants: Vec<Account>,
    /// Fund tenants through escrow allowances.
    pub sponsors: Vec<Account>,
    /// Lease, host and get paid.
    pub providers: Vec<Account>,
}

fn names(prefix: &str, n: usize) -> Vec<String> {
    (0..n).map(|i| format!("{prefix}-{i}")).collect()
}

/// The genesis balances (uakt) of the cast, to put in [`ChainConfig::accounts`].
pub fn genesis_accounts(cfg: &ScenarioConfig) -> Vec<(String, u128)> {
    let mut out: Vec<(String, u128)> = vec![
        ("relayer".into(), 1_000_000 * AKT),
        ("keeper".into(), 1_000_000 * AKT),
        ("treasury".into(), AKT),
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

/// A chain configuration with the cast funded.
pub fn chain_config(cfg: &ScenarioConfig, base: ChainConfig) -> ChainConfig {
    let mut accounts = base.accounts.clone();
    accounts.extend(genesis_accounts(cfg));
    ChainConfig { accounts, ..base }
}

impl Actors {
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
        Ok(Actors {
            proposer: validators[0].clone(),
            validators,
            relayer: chain.account("relayer")?,
            keeper: chain.account("keeper")?,
            treasury: chain.account("treasury")?,
            auditor: chain.account("auditor")?,
            pilot_admin: chain.account("pilot-admin")?,
            stranger: chain.account("stranger")?,
            tenants,
            sponsors,
            providers,
        })
    }
}
