//! mock-pyth: the publisher sets a price; the authority replaces the publisher, pauses and hands
//! over.

use cosmwasm_std::{Int64, Uint64};
use mock_pyth::msg::ExecuteMsg;

use super::{governance, measure};
use crate::bench::Bench;
use crate::suite::Suite;

/// The Pyth feed the catalogue publishes (ETH/USD's id on Pyth).
pub(super) const FEED_ID: &str = "ff61491a931112ddf1bd8147cd1b641375f79f5825126d665480874634fd0ace";

/// The publisher's (the relayer's) price of [`FEED_ID`]: 3,000 ± 1 USD at expo −8, published now.
pub(super) fn set_price(s: &Suite) -> anyhow::Result<ExecuteMsg> {
    Ok(ExecuteMsg::SetPrice {
        id: FEED_ID.into(),
        price: Int64::new(300_000_000_000),
        conf: Uint64::new(100_000_000),
        expo: -8,
        publish_time: i64::try_from(s.now())?,
        ema_price: None,
        ema_conf: None,
    })
}

pub(super) fn run(bench: &mut Bench) -> anyhow::Result<()> {
    let mut s = bench.suite()?;
    let msg = set_price(&s)?;
    measure(bench, &mut s, "mock_pyth", "relayer", &msg, &[])?;
    let keeper = s.addr("keeper").to_string();
    measure(
        bench,
        &mut s,
        "mock_pyth",
        "gov",
        &ExecuteMsg::UpdateConfig { publisher: keeper },
        &[],
    )?;
    governance(
        bench,
        &mut s,
        "mock_pyth",
        |paused| ExecuteMsg::SetPaused { paused },
        ExecuteMsg::Authority,
    )
}
