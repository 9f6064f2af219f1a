//! The simulated chain around the contracts: genesis balances, block time, bank balances.

use cosmwasm_std::{Addr, Coin, Uint128};
use cw_multi_test::App;

/// An App whose genesis gives each of `names` (as `addr_make` addresses) `coins`.
pub fn funded_app(names: &[&str], coins: &[Coin]) -> App {
    App::new(|router, api, storage| {
        for name in names {
            router
                .bank
                .init_balance(storage, &api.addr_make(name), coins.to_vec())
                .expect("genesis balances are valid");
        }
    })
}

/// Moves the chain `blocks` blocks ahead, each `block_seconds` long.
pub fn advance_blocks(app: &mut App, blocks: u64, block_seconds: u64) {
    app.update_block(|b| {
        b.height += blocks;
        b.time = b.time.plus_seconds(block_seconds * blocks);
    });
}

/// `addr`'s bank balance of `denom`, as the u128 the harnesses do arithmetic in.
pub fn balance(app: &App, addr: &Addr, denom: &str) -> u128 {
    let amount = app
        .wrap()
        .query_balance(addr, denom)
        .expect("bank balance query")
        .amount;
    Uint128::try_from(amount)
        .expect("balance fits in u128")
        .u128()
}
