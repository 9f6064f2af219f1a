//! Authority-only source management.

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response, Storage};
use supercloud_events::oracle::{SourceAdded, SourceRemoved};
use supercloud_events::CatalogEvent;
use supercloud_std::Authority;

use crate::error::ContractError;
use crate::execute::reevaluate;
use crate::msg::{SourceKind, SourceKindMsg};
use crate::state::{
    oldest_seq, pair_sources, slot, PairState, Source, LIMITS, MAX_SOURCES_PER_PAIR, OBSERVATIONS,
    PAIRS, SOURCES,
};
use crate::validate;

/// Validates and stores a new source (creating its pair), returning its event. The caller has
/// checked the authority. Refuses an existing id, a pair that is full, and a second source on the
/// same Pyth feed (same contract and feed id) or the same pusher address.
pub fn add(
    deps: &mut DepsMut,
    pair: &str,
    source_id: &str,
    kind: SourceKindMsg,
) -> Result<(SourceAdded, PairState), ContractError> {
    validate::pair(pair)?;
    validate::source_id(source_id)?;
    let kind = validate::source_kind(deps.api, kind)?;
    let mut state = PAIRS.may_load(deps.storage, pair)?.unwrap_or(PairState {
        sources: 0,
        health: None,
        reason: String::new(),
        price: None,
    });
    if SOURCES.has(deps.storage, (pair, source_id)) {
        return Err(ContractError::DuplicateSource {
            pair: pair.to_string(),
            source_id: source_id.to_string(),
        });
    }
    if state.sources >= MAX_SOURCES_PER_PAIR {
        return Err(ContractError::TooManySources {
            pair: pair.to_string(),
            max: MAX_SOURCES_PER_PAIR,
        });
    }
    check_distinct(deps.storage, pair, &kind)?;
    SOURCES.save(
        deps.storage,
        (pair, source_id),
        &Source {
            kind: kind.clone(),
            count: 0,
            latest: None,
            last_rejection: None,
        },
    )?;
    state.sources = state
        .sources
        .checked_add(1)
        .ok_or(ContractError::OutOfRange { what: "sources" })?;
    PAIRS.save(deps.storage, pair, &state)?;
    let (contract, feed_id, address) = match &kind {
        SourceKind::Pyth { contract, feed_id } => {
            (Some(contract.clone()), Some(feed_id.clone()), None)
        }
        SourceKind::Pusher { address } => (None, None, Some(address.clone())),
    };
    let ev = SourceAdded {
        pair: pair.to_string(),
        source: source_id.to_string(),
        kind: kind.name(),
        contract,
        feed_id,
        address,
    };
    Ok((ev, state))
}

fn check_distinct(
    storage: &dyn Storage,
    pair: &str,
    kind: &SourceKind,
) -> Result<(), ContractError> {
    for (existing, source) in pair_sources(storage, pair)? {
        let what = match (&source.kind, kind) {
            (
                SourceKind::Pyth {
                    contract: c1,
                    feed_id: f1,
                },
                SourceKind::Pyth {
                    contract: c2,
                    feed_id: f2,
                },
            ) if c1 == c2 && f1 == f2 => "pyth feed",
            (SourceKind::Pusher { address: a1 }, SourceKind::Pusher { address: a2 })
                if a1 == a2 =>
            {
                "pusher address"
            }
            _ => continue,
        };
        return Err(ContractError::DuplicateFeed {
            pair: pair.to_string(),
            existing,
            what,
        });
    }
    Ok(())
}

/// Authority only: adds a source and re-evaluates the pair.
pub fn add_source(
    mut deps: DepsMut,
    env: Env,
    info: MessageInfo,
    pair: String,
    source_id: String,
    kind: SourceKindMsg,
) -> Result<Response, ContractError> {
    Authority::assert(deps.storage, &info.sender)?;
    let (ev, state) = add(&mut deps, &pair, &source_id, kind)?;
    let limits = LIMITS.load(deps.storage)?;
    let events = reevaluate(deps.storage, &env, &limits, &pair, state)?;
    Ok(Response::new().add_event(ev.to_event()).add_events(events))
}

/// Authority only: removes a source with its stored observations (at most the ring capacity)
/// and re-evaluates the pair (which stays listed, with fewer sources).
pub fn remove_source(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    pair: String,
    source_id: String,
) -> Result<Response, ContractError> {
    Authority::assert(deps.storage, &info.sender)?;
    let unknown = || ContractError::UnknownSource {
        pair: pair.clone(),
        source_id: source_id.clone(),
    };
    let mut state = PAIRS.may_load(deps.storage, &pair)?.ok_or_else(unknown)?;
    let source = SOURCES
        .may_load(deps.storage, (&pair, &source_id))?
        .ok_or_else(unknown)?;
    let mut seq = oldest_seq(source.count);
    while seq < source.count {
        OBSERVATIONS.remove(deps.storage, (&pair, &source_id, slot(seq)?));
        seq = seq.saturating_add(1);
    }
    SOURCES.remove(deps.storage, (&pair, &source_id));
    state.sources = state.sources.saturating_sub(1);
    let limits = LIMITS.load(deps.storage)?;
    let ev = SourceRemoved {
        pair: pair.clone(),
        source: source_id,
        kind: source.kind.name(),
    };
    let events = reevaluate(deps.storage, &env, &limits, &pair, state)?;
    Ok(Response::new().add_event(ev.to_event()).add_events(events))
}
