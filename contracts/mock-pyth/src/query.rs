//! Queries of mock-pyth.

use cosmwasm_std::{to_json_binary, Binary, Deps, Order};
use cw_storage_plus::Bound;
use supercloud_std::{page_limit, Authority, Paused};

use crate::error::ContractError;
use crate::feed::normalize_feed_id;
use crate::msg::{ConfigResponse, FeedsResponse, PriceFeedResponse, QueryMsg};
use crate::state::{CONFIG, FEEDS};

/// Dispatches a query.
pub fn query(deps: Deps, msg: QueryMsg) -> Result<Binary, ContractError> {
    Ok(match msg {
        QueryMsg::PriceFeed { id } => to_json_binary(&price_feed(deps, &id)?)?,
        QueryMsg::Config {} => to_json_binary(&config(deps)?)?,
        QueryMsg::Feeds { start_after, limit } => {
            to_json_binary(&feeds(deps, start_after, limit)?)?
        }
    })
}

/// The Pyth `price_feed` query; errors for a feed never set, like Pyth does.
pub fn price_feed(deps: Deps, id: &str) -> Result<PriceFeedResponse, ContractError> {
    let id = normalize_feed_id(id)?;
    let price_feed = FEEDS
        .may_load(deps.storage, &id)?
        .ok_or(ContractError::FeedNotFound { id })?;
    Ok(PriceFeedResponse { price_feed })
}

/// Authority, publisher and pause flag.
pub fn config(deps: Deps) -> Result<ConfigResponse, ContractError> {
    let authority = Authority::load(deps.storage)?;
    Ok(ConfigResponse {
        authority: authority.current,
        pending_authority: authority.pending,
        publisher: CONFIG.load(deps.storage)?.publisher,
        paused: Paused::is_paused(deps.storage)?,
    })
}

/// Feeds in id order after `start_after`.
pub fn feeds(
    deps: Deps,
    start_after: Option<String>,
    limit: Option<u32>,
) -> Result<FeedsResponse, ContractError> {
    let start = start_after.map(|s| normalize_feed_id(&s)).transpose()?;
    let feeds = FEEDS
        .range(
            deps.storage,
            start.as_deref().map(Bound::exclusive),
            None,
            Order::Ascending,
        )
        .take(page_limit(limit))
        .map(|item| item.map(|(_, feed)| feed))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(FeedsResponse { feeds })
}
