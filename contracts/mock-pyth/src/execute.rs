//! State-changing actions of mock-pyth.

use cosmwasm_std::{DepsMut, Int64, MessageInfo, Response, Uint64};
use supercloud_events::mock_pyth::{MockPythEvent, PriceSet};
use supercloud_events::CatalogEvent;
use supercloud_std::governance as shared;
use supercloud_std::{Authority, Paused};

use crate::error::ContractError;
use crate::feed::normalize_feed_id;
use crate::msg::{Price, PriceFeed};
use crate::state::{Config, CONFIG, FEEDS};

/// The fields of `set_price`.
pub struct NewPrice {
    pub id: String,
    pub price: Int64,
    pub conf: Uint64,
    pub expo: i32,
    pub publish_time: i64,
    pub ema_price: Option<Int64>,
    pub ema_conf: Option<Uint64>,
}

/// Publisher only: stores the feed's price and EMA price as given.
pub fn set_price(
    deps: DepsMut,
    info: MessageInfo,
    new: NewPrice,
) -> Result<Response, ContractError> {
    Paused::assert_not_paused(deps.storage)?;
    let config = CONFIG.load(deps.storage)?;
    if info.sender != config.publisher {
        return Err(ContractError::NotPublisher {
            publisher: config.publisher,
        });
    }
    let id = normalize_feed_id(&new.id)?;
    let price = Price {
        price: new.price,
        conf: new.conf,
        expo: new.expo,
        publish_time: new.publish_time,
    };
    let ema_price = Price {
        price: new.ema_price.unwrap_or(new.price),
        conf: new.ema_conf.unwrap_or(new.conf),
        ..price.clone()
    };
    let feed = PriceFeed {
        id: id.clone(),
        price,
        ema_price,
    };
    FEEDS.save(deps.storage, &id, &feed)?;
    let ev = PriceSet {
        id,
        price: feed.price.price.i64(),
        conf: feed.price.conf.u64(),
        expo: feed.price.expo,
        publish_time: feed.price.publish_time,
        ema_price: feed.ema_price.price.i64(),
        ema_conf: feed.ema_price.conf.u64(),
        publisher: info.sender,
    };
    Ok(Response::new().add_event(ev.to_event()))
}

/// Authority only: replaces the publisher.
pub fn update_config(
    deps: DepsMut,
    info: MessageInfo,
    publisher: String,
) -> Result<Response, ContractError> {
    Authority::assert(deps.storage, &info.sender)?;
    let config = Config {
        publisher: deps.api.addr_validate(&publisher)?,
    };
    CONFIG.save(deps.storage, &config)?;
    shared::config_updated::<MockPythEvent, _, _>(&info.sender, &config)
}
