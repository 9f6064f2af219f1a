//! Chain parameters: identity, clock, governance and genesis funds.

/// Static configuration of a devnet chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChainConfig {
    /// CometBFT chain id.
    pub chain_id: String,
    /// Bech32 prefix of every address.
    pub prefix: &'static str,
    /// The staking/fee denom.
    pub denom: String,
    /// Time of block 1, seconds since the Unix epoch.
    pub genesis_time_s: u64,
    /// Chain seconds between consecutive blocks unless a block is sealed with its own time.
    pub block_time_s: u64,
    /// Chain seconds a proposal stays in its voting period.
    pub voting_period_s: u64,
    /// Deposit (in `denom`) a proposal needs to enter voting at once.
    pub min_deposit: u128,
    /// Seed of the deterministic account keys.
    pub seed: u64,
    /// Named accounts funded at genesis with `denom`.
    pub accounts: Vec<(String, u128)>,
    /// Further genesis balances in other denoms: (account name, denom, amount).
    pub extra_balances: Vec<(String, String, u128)>,
    /// Named accounts that validate; each has `validator_power` voting power.
    pub validators: Vec<String>,
    /// Voting power of each validator.
    pub validator_power: u64,
    /// Balance of the gov module account at genesis (stands in for the community pool that
    /// funds proposals such as incentive pilots).
    pub gov_balance: u128,
    /// Minimum gas price in `denom` per unit of gas, as a fraction (numerator, denominator).
    pub gas_price: (u128, u128),
}

impl Default for ChainConfig {
    fn default() -> Self {
        ChainConfig {
            chain_id: "akash-devnet-1".into(),
            prefix: "akash",
            denom: "uakt".into(),
            // 2025-01-01T00:00:00Z.
            genesis_time_s: 1_735_689_600,
            block_time_s: 6,
            voting_period_s: 60,
            min_deposit: 50_000_000,
            seed: 1,
            accounts: Vec::new(),
            extra_balances: Vec::new(),
            validators: (0..4).map(|i| format!("validator-{i}")).collect(),
            validator_power: 1_000_000,
            gov_balance: 10_000_000_000_000,
            gas_price: (25, 1000),
        }
    }
}

impl ChainConfig {
    /// The fee for `gas_limit` at the minimum gas price, rounded up.
    pub fn fee_for(&self, gas_limit: u64) -> u128 {
        let (num, den) = self.gas_price;
        (u128::from(gas_limit) * num).div_ceil(den.max(1))
    }
}
