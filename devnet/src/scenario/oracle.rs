//! The price relayer: an AKT/USD random walk pushed to the oracle (pusher source) and published
//! on mock-pyth, whose feed the oracle then pulls (`refresh`), in one tx.

use cosmwasm_std::{Int64, Uint64};
use gov_proposal::suite::{AKT_USD_FEED_ID, ORACLE_PAIR, PUSHER_SOURCE_ID};
use rand::Rng;

use super::calls::Call;
use super::driver::Scenario;
use crate::chain::Chain;

/// Lowest and highest AKT price the walk allows (Pyth raw, expo −8): $0.50 and $8.
const PRICE_BOUNDS: (i64, i64) = (50_000_000, 800_000_000);

impl Scenario {
    /// Pushes a price when the last push is `price_interval_s` old.
    pub(crate) fn relay(&mut self, chain: &mut Chain) -> anyhow::Result<()> {
        let (_, now) = Self::now(chain);
        if now >= self.world.last_push_s + self.price_interval_s {
            self.push_price(chain)?;
        }
        Ok(())
    }

    /// Makes sure the open block has a fresh price before a price-dependent tx.
    pub(crate) fn ensure_price(&mut self, chain: &mut Chain) -> anyhow::Result<()> {
        if !self.fresh_price {
            self.push_price(chain)?;
        }
        Ok(())
    }

    /// The current AKT price in milli-USD.
    pub(crate) fn price_milli(&self) -> u128 {
        u128::try_from(self.world.price_raw / 100_000)
            .unwrap_or(1)
            .max(1)
    }

    fn walk(&mut self, elapsed_s: u64) {
        // About 2 % per hour of volatility, mean-reverting towards $2.50.
        let hours = (elapsed_s as f64 / 3_600.0).clamp(0.0, 24.0);
        let shock: f64 = self.rng.random_range(-1.0..1.0) * 0.035 * hours.sqrt();
        let price = self.world.price_raw as f64 / 1e8;
        let pull = (2.5 - price) * 0.01 * hours;
        let next = price * (1.0 + shock) + pull;
        let raw = (next * 1e8).round() as i64;
        self.world.price_raw = raw.clamp(PRICE_BOUNDS.0, PRICE_BOUNDS.1);
    }

    fn push_price(&mut self, chain: &mut Chain) -> anyhow::Result<()> {
        let (_, now) = Self::now(chain);
        let elapsed = now.saturating_sub(self.world.last_push_s);
        if self.world.last_push_s > 0 {
            self.walk(elapsed);
        }
        let price = self.world.price_raw;
        let conf = u64::try_from(price / 1_000).unwrap_or(0);
        let publish_time = i64::try_from(now)?;
        let calls = vec![
            Call::new(
                "oracle",
                &oracle::msg::ExecuteMsg::Push {
                    pair: ORACLE_PAIR.into(),
                    source: PUSHER_SOURCE_ID.into(),
                    price: Int64::new(price),
                    conf: Uint64::new(conf),
                    expo: -8,
                    publish_time,
                },
            )?,
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
        let relayer = self.actors.relayer.clone();
        let outcome = self.send(chain, &relayer, calls, "oracle.push")?;
        if outcome.code == 0 {
            self.world.last_push_s = now;
            self.fresh_price = true;
        }
        Ok(())
    }
}
