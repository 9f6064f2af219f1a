//! Input validation: limits, pair names, source ids, feed ids and source kinds.

use cosmwasm_std::Api;

use crate::error::ContractError;
use crate::msg::{Limits, SourceKind, SourceKindMsg};
use crate::state::MAX_SOURCES_PER_PAIR;

fn range(field: &'static str, value: u64, min: u64, max: u64) -> Result<(), ContractError> {
    if value < min || value > max {
        return Err(ContractError::InvalidLimit {
            field,
            value,
            min,
            max,
        });
    }
    Ok(())
}

/// Checks every limit against its documented range.
pub fn limits(l: &Limits) -> Result<(), ContractError> {
    range("max_staleness_s", l.max_staleness_s, 1, 86_400)?;
    range("max_conf_bps", l.max_conf_bps.into(), 1, 10_000)?;
    range("max_future_drift_s", l.max_future_drift_s, 0, 3_600)?;
    range("twap_window_s", l.twap_window_s, 1, 86_400)?;
    range("max_deviation_bps", l.max_deviation_bps.into(), 1, 10_000)?;
    range(
        "min_sources",
        l.min_sources.into(),
        1,
        MAX_SOURCES_PER_PAIR.into(),
    )?;
    Ok(())
}

fn is_part(s: &str) -> bool {
    (1..=16).contains(&s.len())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
}

/// A pair is `base/quote`, each 1-16 of `[a-z0-9]`, e.g. `akt/usd`.
pub fn pair(pair: &str) -> Result<(), ContractError> {
    match pair.split_once('/') {
        Some((base, quote)) if is_part(base) && is_part(quote) => Ok(()),
        _ => Err(ContractError::InvalidPair {
            pair: pair.to_string(),
        }),
    }
}

/// A source id is 1-32 of `[a-z0-9_-]`, starting with a letter or digit.
pub fn source_id(source: &str) -> Result<(), ContractError> {
    let ok = (1..=32).contains(&source.len())
        && source
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        && source
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
    if !ok {
        return Err(ContractError::InvalidSourceId {
            source_id: source.to_string(),
        });
    }
    Ok(())
}

/// Normalises a Pyth feed id to 64 lowercase hex digits without `0x` (Pyth's JSON form).
pub fn feed_id(feed_id: &str) -> Result<String, ContractError> {
    let hex = feed_id
        .strip_prefix("0x")
        .or_else(|| feed_id.strip_prefix("0X"))
        .unwrap_or(feed_id);
    if hex.len() != 64 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(ContractError::InvalidFeedId {
            feed_id: feed_id.to_string(),
        });
    }
    Ok(hex.to_ascii_lowercase())
}

/// Validates addresses and the feed id of a source kind.
pub fn source_kind(api: &dyn Api, kind: SourceKindMsg) -> Result<SourceKind, ContractError> {
    Ok(match kind {
        SourceKindMsg::Pyth { contract, feed_id } => SourceKind::Pyth {
            contract: api.addr_validate(&contract)?,
            feed_id: self::feed_id(&feed_id)?,
        },
        SourceKindMsg::Pusher { address } => SourceKind::Pusher {
            address: api.addr_validate(&address)?,
        },
    })
}
