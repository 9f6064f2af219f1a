//! The AKT price in force at each block and which denoms have a USD value (DESIGN §7 "USD").

use cosmwasm_std::Decimal256;
use supercloud_chain::{ACT_DENOM, AKT_DENOM, AKT_USD_PAIR, USDC_DENOM};
use supercloud_events::oracle::{Health, OracleEvent};
use supercloud_events::SupercloudEvent;

/// The AKT/USD price in force at a block.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BlockPrice {
    /// The last healthy aggregate at or before the block (`None` before the first one).
    pub akt_usd: Option<Decimal256>,
    /// The oracle was not healthy at the block: `akt_usd` is carried from before.
    pub stale: bool,
}

/// Follows `oracle.price_aggregated` of the AKT/USD pair: the price in force at block h is the
/// last aggregate at or before h; while the pair is unhealthy the last healthy price is carried
/// and flagged.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PriceBook {
    pub last: BlockPrice,
}

impl PriceBook {
    /// Applies the block's aggregates and returns the price in force at it.
    pub fn observe(&mut self, events: &[&SupercloudEvent]) -> BlockPrice {
        for ev in events {
            if let SupercloudEvent::Oracle(OracleEvent::PriceAggregated(p)) = ev {
                if p.pair != AKT_USD_PAIR {
                    continue;
                }
                match (p.health, p.price) {
                    (Health::Healthy, Some(price)) => {
                        self.last = BlockPrice {
                            akt_usd: Some(price),
                            stale: false,
                        }
                    }
                    _ => self.last.stale = true,
                }
            }
        }
        self.last
    }
}

/// How a denom's base units become USD.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UsdRule {
    /// Denoms worth 1 USD per whole token (ACT and the USD stablecoins).
    pub one_to_one: Vec<String>,
    /// The denom priced by the oracle's AKT/USD aggregate.
    pub priced: String,
}

/// The USD value kind of a denom.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UsdKind {
    OneToOne,
    Priced,
    None,
}

impl Default for UsdRule {
    fn default() -> Self {
        UsdRule {
            one_to_one: vec![ACT_DENOM.to_string(), USDC_DENOM.to_string()],
            priced: AKT_DENOM.to_string(),
        }
    }
}

impl UsdRule {
    /// How `denom` converts.
    pub fn kind(&self, denom: &str) -> UsdKind {
        if denom == self.priced {
            UsdKind::Priced
        } else if self.one_to_one.iter().any(|d| d == denom) {
            UsdKind::OneToOne
        } else {
            UsdKind::None
        }
    }
}
