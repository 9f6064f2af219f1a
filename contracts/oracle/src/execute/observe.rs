//! `refresh` (pull every Pyth source of a pair) and `push` (a relayer's observation).
//!
//! Both validate with [`check_observation`] and apply the outcome with [`record`]:
//! - accepted: stored as observation `seq` in the source's ring buffer (overwriting the oldest when
//!   full), the source's `latest` updated and its `last_rejection` cleared; event
//!   `oracle.price_updated`;
//! - skipped (publish time not newer than the last): nothing stored, attribute only;
//! - rejected: recorded as the source's `last_rejection`; event `oracle.observation_rejected`.
//!
//! Every source's outcome is also an attribute `source.<id>` of the response. Afterwards the
//! pair is re-evaluated: `oracle.health_changed` if its health changed, `oracle.price_aggregated`
//! if its health or price in force did (see [`super::reevaluate`]). Only
//! malformed or unauthorized calls (unknown pair or source, wrong sender, paused) are errors.

use cosmwasm_std::{Addr, DepsMut, Env, MessageInfo, Response};
use supercloud_events::oracle::{ObservationRejected, PriceUpdated, Via};
use supercloud_events::CatalogEvent;
use supercloud_std::Paused;

use crate::aggregate::{check_observation, Outcome, RawPrice};
use crate::error::ContractError;
use crate::execute::reevaluate;
use crate::msg::{Observation, RejectReason, Rejection, SourceKind};
use crate::pair::{self, block_time};
use crate::pyth::{PriceFeedResponse, PythQueryMsg};
use crate::state::{pair_sources, slot, Source, LIMITS, OBSERVATIONS, SOURCES};

/// Counts of outcomes in one call and the response being built.
struct Report {
    accepted: u32,
    skipped: u32,
    rejected: u32,
    response: Response,
}

impl Report {
    fn new(action: &str) -> Self {
        Report {
            accepted: 0,
            skipped: 0,
            rejected: 0,
            response: Response::new().add_attribute("action", action),
        }
    }

    fn finish(self, pair: &str) -> Response {
        self.response
            .add_attribute("pair", pair)
            .add_attribute("accepted", self.accepted.to_string())
            .add_attribute("skipped", self.skipped.to_string())
            .add_attribute("rejected", self.rejected.to_string())
    }
}

/// Identifies the caller and path for the events.
struct Ctx<'a> {
    pair: &'a str,
    now: i64,
    block_seconds: u64,
    via: Via,
    sender: &'a Addr,
}

/// Applies one outcome to the source and the response.
fn record(
    deps: &mut DepsMut,
    ctx: &Ctx,
    id: &str,
    mut source: Source,
    raw: Option<RawPrice>,
    outcome: Outcome,
    report: &mut Report,
) -> Result<(), ContractError> {
    let key = format!("source.{id}");
    match outcome {
        Outcome::Accepted { price, conf } => {
            let raw = raw.ok_or(ContractError::OutOfRange {
                what: "observation",
            })?;
            let observation = Observation {
                seq: source.count,
                price,
                conf,
                expo: raw.expo,
                publish_time: raw.publish_time,
                recorded_at: ctx.block_seconds,
            };
            OBSERVATIONS.save(
                deps.storage,
                (ctx.pair, id, slot(observation.seq)?),
                &observation,
            )?;
            source.count = source
                .count
                .checked_add(1)
                .ok_or(ContractError::OutOfRange { what: "count" })?;
            source.latest = Some(observation.clone());
            source.last_rejection = None;
            SOURCES.save(deps.storage, (ctx.pair, id), &source)?;
            report.accepted = report.accepted.saturating_add(1);
            let ev = PriceUpdated {
                pair: ctx.pair.to_string(),
                source: id.to_string(),
                price,
                conf,
                raw_price: raw.price,
                raw_conf: raw.conf,
                expo: raw.expo,
                publish_time: raw.publish_time,
                seq: observation.seq,
                via: ctx.via,
                sender: ctx.sender.clone(),
            };
            report.response = std::mem::take(&mut report.response)
                .add_attribute(key, format!("accepted seq {}", observation.seq))
                .add_event(ev.to_event());
        }
        Outcome::Skipped { last_publish_time } => {
            report.skipped = report.skipped.saturating_add(1);
            let publish_time = raw.map(|r| r.publish_time).unwrap_or(last_publish_time);
            report.response = std::mem::take(&mut report.response).add_attribute(
                key,
                format!(
                    "skipped: publish_time {publish_time} is not newer than {last_publish_time}"
                ),
            );
        }
        Outcome::Rejected { reason, detail } => {
            let publish_time = raw.map(|r| r.publish_time);
            source.last_rejection = Some(Rejection {
                reason,
                detail: detail.clone(),
                publish_time,
                at: ctx.block_seconds,
            });
            SOURCES.save(deps.storage, (ctx.pair, id), &source)?;
            report.rejected = report.rejected.saturating_add(1);
            let attr = format!("rejected: {}: {}", reason.as_str(), detail);
            let ev = ObservationRejected {
                pair: ctx.pair.to_string(),
                source: id.to_string(),
                reason,
                detail,
                publish_time,
            };
            report.response = std::mem::take(&mut report.response)
                .add_attribute(key, attr)
                .add_event(ev.to_event());
        }
    }
    Ok(())
}

/// Queries a Pyth contract and turns the answer into a raw price or a rejection.
fn pull(
    deps: &DepsMut,
    contract: &Addr,
    feed_id: &str,
) -> Result<RawPrice, (RejectReason, String)> {
    let request = PythQueryMsg::PriceFeed {
        id: feed_id.to_string(),
    };
    let response: PriceFeedResponse =
        deps.querier
            .query_wasm_smart(contract, &request)
            .map_err(|e| {
                (
                    RejectReason::QueryFailed,
                    format!("query to {contract} failed: {e}"),
                )
            })?;
    let feed = response.price_feed;
    if !feed.id.eq_ignore_ascii_case(feed_id) {
        return Err((
            RejectReason::FeedMismatch,
            format!("asked for feed {feed_id}, got {}", feed.id),
        ));
    }
    Ok(RawPrice {
        price: feed.price.price.i64(),
        conf: feed.price.conf.u64(),
        expo: feed.price.expo,
        publish_time: feed.price.publish_time,
    })
}

/// Permissionless: pulls every Pyth source of `pair` (at most 8) and re-evaluates its health.
pub fn refresh(
    mut deps: DepsMut,
    env: Env,
    info: MessageInfo,
    pair: String,
) -> Result<Response, ContractError> {
    Paused::assert_not_paused(deps.storage)?;
    let state = pair::load(deps.storage, &pair)?;
    let limits = LIMITS.load(deps.storage)?;
    let ctx = Ctx {
        pair: &pair,
        now: block_time(&env)?,
        block_seconds: env.block.time.seconds(),
        via: Via::Refresh,
        sender: &info.sender,
    };
    let mut report = Report::new("refresh");
    for (id, source) in pair_sources(deps.storage, &pair)? {
        let SourceKind::Pyth { contract, feed_id } = &source.kind else {
            continue;
        };
        let (raw, outcome) = match pull(&deps, contract, feed_id) {
            Ok(raw) => {
                let last = source.latest.as_ref().map(|o| o.publish_time);
                (Some(raw), check_observation(&limits, ctx.now, last, raw)?)
            }
            Err((reason, detail)) => (None, Outcome::Rejected { reason, detail }),
        };
        record(&mut deps, &ctx, &id, source, raw, outcome, &mut report)?;
    }
    let events = reevaluate(deps.storage, &env, &limits, &pair, state)?;
    report.response = std::mem::take(&mut report.response).add_events(events);
    Ok(report.finish(&pair))
}

/// The pusher of `source` submits one observation.
pub fn push(
    mut deps: DepsMut,
    env: Env,
    info: MessageInfo,
    pair: String,
    source_id: String,
    raw: RawPrice,
) -> Result<Response, ContractError> {
    Paused::assert_not_paused(deps.storage)?;
    let state = pair::load(deps.storage, &pair)?;
    let source = SOURCES
        .may_load(deps.storage, (&pair, &source_id))?
        .ok_or_else(|| ContractError::UnknownSource {
            pair: pair.clone(),
            source_id: source_id.clone(),
        })?;
    match &source.kind {
        SourceKind::Pusher { address } if *address == info.sender => {}
        SourceKind::Pusher { address } => {
            return Err(ContractError::NotPusher {
                pair,
                source_id,
                pusher: address.clone(),
            })
        }
        SourceKind::Pyth { .. } => return Err(ContractError::NotPushSource { pair, source_id }),
    }
    let limits = LIMITS.load(deps.storage)?;
    let ctx = Ctx {
        pair: &pair,
        now: block_time(&env)?,
        block_seconds: env.block.time.seconds(),
        via: Via::Push,
        sender: &info.sender,
    };
    let last = source.latest.as_ref().map(|o| o.publish_time);
    let outcome = check_observation(&limits, ctx.now, last, raw)?;
    let mut report = Report::new("push");
    record(
        &mut deps,
        &ctx,
        &source_id,
        source,
        Some(raw),
        outcome,
        &mut report,
    )?;
    let events = reevaluate(deps.storage, &env, &limits, &pair, state)?;
    report.response = std::mem::take(&mut report.response).add_events(events);
    Ok(report.finish(&pair))
}
