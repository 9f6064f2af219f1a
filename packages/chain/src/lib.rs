//! Facts about the target chain (Akash mainnet: wasmd 0.61, wasmvm 3.0.2) that code on every side
//! of the build needs: the VM harness (`packages/vm`), the upload checker (`tools/wasm-check`) and
//! the proposal writer. A package with no dependencies, so that any crate may read them without
//! pulling in a tool (DESIGN §3, §8).

/// wasmd's `MaxWasmSize`: the largest (uncompressed) code blob `MsgStoreCode` accepts, in bytes
/// (800 KiB; `x/wasm/types/validation.go`, `MaxWasmSize = 800 * 1024`, which Akash keeps).
pub const MAX_WASM_SIZE: usize = 800 * 1024;

/// Capabilities Akash advertises to contracts: wasmd 0.61's `BuiltInCapabilities()`
/// (`x/wasm/keeper/capabilities.go`) plus Akash's own `akash`. There is no `cosmwasm_3_0`, so a
/// contract built with that cosmwasm-std feature cannot be stored there.
pub const AKASH_CAPABILITIES: &[&str] = &[
    "iterator",
    "staking",
    "stargate",
    "cosmwasm_1_1",
    "cosmwasm_1_2",
    "cosmwasm_1_3",
    "cosmwasm_1_4",
    "cosmwasm_2_0",
    "cosmwasm_2_1",
    "cosmwasm_2_2",
    "ibc2",
    "akash",
];

/// AKT's base denom (1 AKT = 10^6 uakt).
pub const AKT_DENOM: &str = "uakt";

/// ACT's base denom, the compute credit BME mints (1 ACT = 10^6 uact, worth 1 USD).
pub const ACT_DENOM: &str = "uact";

/// The USD stablecoin: an IBC denom (`ibc/` + sha256 of the trace `transfer/channel-17/uusdc`),
/// 6 decimals, allow-listed in escrow and reservations.
pub const USDC_DENOM: &str = "ibc/7CBFAFFC5C3EC4EE5A843DFC943E3F82865B07D7D7AFB054A3704680A53A29FB";

/// Base units per whole token for every denom above.
pub const BASE_UNITS_PER_TOKEN: u128 = 1_000_000;

/// The oracle pair that prices AKT in USD.
pub const AKT_USD_PAIR: &str = "akt/usd";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_what_the_chain_enforces() {
        assert_eq!(MAX_WASM_SIZE, 819_200);
        assert!(AKASH_CAPABILITIES.contains(&"cosmwasm_2_2"));
        assert!(!AKASH_CAPABILITIES.contains(&"cosmwasm_3_0"));
        let mut unique = AKASH_CAPABILITIES.to_vec();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), AKASH_CAPABILITIES.len());
    }
}
