//! The price relayers: an AKT/USD random walk pushed to the oracle (pusher source) and
//! published on mock-pyth, whose feed the oracle then pulls (`refresh`), in one tx; once
//! governance lists it, a second relayer pushes its own observation with the routine pushes
//! (biased while it deviates). Routine pushes every `price_interval_s`, and a fresh one in any
//! block with a price-dependent tx (the oracle's staleness limit is 30 s). During an outage
//! nobody pushes.

use cosmwasm_std::{Int64, Uint64};
use gov_proposal::suite::{AKT_USD_FEED_ID, ORACLE_PAIR, PUSHER_SOURCE_ID};
use rand::Rng;

use crate::chain::Chain;
use crate::scenario::ctx::{Call, Ctx, HOUR_S};

/// Oracle source id of the second relayer.
pub const RELAYER_B_SOURCE: &str = "relayer-b";
/// Lowest and highest AKT price the walk allows (Pyth raw, expo −8): $0.40 and $8.
pub const PRICE_BOUNDS: (i64, i64) = (40_000_000, 800_000_000);
/// The walk's long-run mean ($2.50).
const MEAN_RAW: i64 = 250_000_000;

/// Routine pushes (the second relayer, once listed, pushes with these only).
pub fn act(ctx: &mut Ctx, chain: &mut Chain) -> anyhow::Result<()> {
    let (_, now) = Ctx::now(chain);
    if now >= ctx.world.market.last_push_s + ctx.price_interval_s {
        walk_and_publish(ctx, chain, true)?;
    }
    Ok(())
}

/// Makes sure the open block has a fresh price before a price-dependent tx (not during an
/// outage: the tx then meets a stale oracle, as it would on a chain).
pub fn ensure_price(ctx: &mut Ctx, chain: &mut Chain) -> anyhow::Result<()> {
    if !ctx.world.market.fresh_price {
        push(ctx, chain)?;
    }
    Ok(())
}

/// Moves the walk by `elapsed_s`: about 0.8 % per hour, pulled back towards its mean (or an
/// incident's target).
fn walk(ctx: &mut Ctx, elapsed_s: u64) {
    let hours = (elapsed_s as f64 / HOUR_S as f64).clamp(0.0, 24.0);
    let shock: f64 = ctx.rng.random_range(-1.0..1.0) * 0.014 * hours.sqrt();
    let market = &mut ctx.world.market;
    let price = market.price_raw as f64 / 1e8;
    let mean = market.target_raw.unwrap_or(MEAN_RAW) as f64 / 1e8;
    let pull = (mean - price) * 0.05 * hours.min(20.0);
    let next = price * (1.0 + shock) + pull;
    market.price_raw = ((next * 1e8).round() as i64).clamp(PRICE_BOUNDS.0, PRICE_BOUNDS.1);
}

/// Walks the price and pushes it.
pub fn push(ctx: &mut Ctx, chain: &mut Chain) -> anyhow::Result<()> {
    walk_and_publish(ctx, chain, false)
}

fn walk_and_publish(ctx: &mut Ctx, chain: &mut Chain, routine: bool) -> anyhow::Result<()> {
    if ctx.world.market.relayers_down {
        return Ok(());
    }
    let (_, now) = Ctx::now(chain);
    let last = ctx.world.market.last_push_s;
    if last > 0 && !ctx.world.market.frozen {
        walk(ctx, now.saturating_sub(last));
    }
    if routine {
        second_relayer(ctx, chain)?;
    }
    publish(ctx, chain)
}

/// Pushes `raw` as the price (an incident's scripted step).
pub fn push_at(ctx: &mut Ctx, chain: &mut Chain, raw: i64) -> anyhow::Result<()> {
    ctx.world.market.price_raw = raw.clamp(PRICE_BOUNDS.0, PRICE_BOUNDS.1);
    publish(ctx, chain)
}

/// The second relayer's observation of the walk's price (biased while it deviates), pushed
/// just before the first relayer's, so the aggregate that push announces weighs it (and names
/// it in `left_out` when it deviates).
fn second_relayer(ctx: &mut Ctx, chain: &mut Chain) -> anyhow::Result<()> {
    if !ctx.world.market.relayer_b_listed {
        return Ok(());
    }
    let (_, now) = Ctx::now(chain);
    let raw = ctx.world.market.price_raw;
    let biased = (raw as f64 * (1.0 + ctx.world.market.relayer_b_bias)).round() as i64;
    let call = observation(RELAYER_B_SOURCE, biased, now)?;
    let relayer_b = ctx.cast.relayer_b.clone();
    ctx.send(chain, &relayer_b, vec![call], "oracle.push_b")?;
    Ok(())
}

fn observation(pair_source: &str, raw: i64, now: u64) -> anyhow::Result<Call> {
    Call::new(
        "oracle",
        &oracle::msg::ExecuteMsg::Push {
            pair: ORACLE_PAIR.into(),
            source: pair_source.into(),
            price: Int64::new(raw),
            conf: Uint64::new(u64::try_from(raw / 1_000).unwrap_or(0)),
            expo: -8,
            publish_time: i64::try_from(now)?,
        },
    )
}

fn publish(ctx: &mut Ctx, chain: &mut Chain) -> anyhow::Result<()> {
    let (_, now) = Ctx::now(chain);
    let price = ctx.world.market.price_raw;
    let conf = u64::try_from(price / 1_000).unwrap_or(0);
    let publish_time = i64::try_from(now)?;
    let calls = vec![
        observation(PUSHER_SOURCE_ID, price, now)?,
        Call::new(
            "mock_pyth",
            &mock_pyth::msg::ExecuteMsg::SetPrice {
                id: AKT_USD_FEED_ID.into(),
                price: Int64::new(price),
                conf: Uint64::new(conf),
                expo: -8,
                publish_time,
                ema_price: None,
                ema_conf: None,
            },
        )?,
        Call::new(
            "oracle",
            &oracle::msg::ExecuteMsg::Refresh {
                pair: ORACLE_PAIR.into(),
            },
        )?,
    ];
    let relayer = ctx.cast.relayer.clone();
    let outcome = ctx.send(chain, &relayer, calls, "oracle.push")?;
    if outcome.code == 0 {
        ctx.world.market.last_push_s = now;
        ctx.world.market.fresh_price = true;
    }
    Ok(())
}
