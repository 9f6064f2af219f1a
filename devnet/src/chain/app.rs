//! The cw-multi-test `App` the chain executes in: bech32 `akash` addresses, the journaled store,
//! and the wasm keeper that runs compiled artifacts.

use cosmwasm_std::{Addr, BlockInfo, Coin, Empty};
use cw_multi_test::{
    AppBuilder, BankKeeper, DistributionKeeper, FailingModule, GovFailingModule, IbcFailingModule,
    MockApiBech32, StakeKeeper, StargateFailing, WasmKeeper,
};

use super::storage::JournaledStorage;

/// The concrete `App` of the devnet.
pub type DevApp = cw_multi_test::App<
    BankKeeper,
    MockApiBech32,
    JournaledStorage,
    FailingModule<Empty, Empty, Empty>,
    WasmKeeper<Empty, Empty>,
    StakeKeeper,
    DistributionKeeper,
    IbcFailingModule,
    GovFailingModule,
    StargateFailing,
>;

/// Builds the app at `block` with the genesis `balances`.
pub fn build(
    prefix: &'static str,
    block: BlockInfo,
    balances: Vec<(Addr, Vec<Coin>)>,
) -> anyhow::Result<DevApp> {
    let mut failure: Option<String> = None;
    let app = AppBuilder::new()
        .with_api(MockApiBech32::new(prefix))
        .with_storage(JournaledStorage::default())
        .with_block(block)
        .build(|router, _api, storage| {
            for (addr, coins) in balances {
                if let Err(e) = router.bank.init_balance(storage, &addr, coins) {
                    failure.get_or_insert_with(|| format!("genesis balance of {addr}: {e}"));
                }
            }
        });
    match failure {
        Some(e) => anyhow::bail!(e),
        None => Ok(app),
    }
}
