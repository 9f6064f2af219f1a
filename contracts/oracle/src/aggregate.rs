//! Pure price math: observation normalisation, per-source TWAP, median, outliers and pair health.
//!
//! All arithmetic is exact on Decimal256 atomics (18 decimals) except two documented floors:
//! the TWAP division and the mean of the two middle values of an even median, both rounded down
//! to the 18th decimal (at most 10⁻¹⁸ off; an oracle has no side to favour, and rounding down is
//! the same for every caller).

use cosmwasm_std::{Decimal256, Uint256, Uint64};

use crate::error::ContractError;
use crate::msg::{
    Health, LeftOut, Limits, Observation, RejectReason, Rejection, SourceHealth, SourceStatus,
};

/// A raw observation in Pyth's form: `price ± conf` × 10^`expo` at `publish_time`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RawPrice {
    pub price: i64,
    pub conf: u64,
    pub expo: i32,
    pub publish_time: i64,
}

/// What happened to one observation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Valid: normalised `(price, conf)`.
    Accepted { price: Decimal256, conf: Decimal256 },
    /// Not newer than the source's last observation; ignored.
    Skipped { last_publish_time: i64 },
    /// Failed validation.
    Rejected {
        reason: RejectReason,
        detail: String,
    },
}

/// `value × 10^expo` as an exact Decimal256 (`expo` must be in [−18, 0]).
pub fn normalize(value: u64, expo: i32) -> Result<Decimal256, ContractError> {
    let decimals = expo
        .checked_neg()
        .and_then(|d| u32::try_from(d).ok())
        .ok_or(ContractError::OutOfRange { what: "exponent" })?;
    Ok(Decimal256::from_atomics(Uint256::from(value), decimals)?)
}

/// Validates an observation against the limits at block time `now`, in this order: not newer
/// than `last_publish_time` (skipped), price ≤ 0, exponent outside [−18, 0], publish time beyond
/// the future drift, stale, confidence ratio above the limit.
pub fn check_observation(
    limits: &Limits,
    now: i64,
    last_publish_time: Option<i64>,
    raw: RawPrice,
) -> Result<Outcome, ContractError> {
    let reject = |reason, detail: String| Ok(Outcome::Rejected { reason, detail });
    if let Some(last) = last_publish_time {
        if raw.publish_time <= last {
            return Ok(Outcome::Skipped {
                last_publish_time: last,
            });
        }
    }
    if raw.price <= 0 {
        return reject(
            RejectReason::NonPositivePrice,
            format!("price {} is not positive", raw.price),
        );
    }
    if !(-18..=0).contains(&raw.expo) {
        return reject(
            RejectReason::ExponentOutOfRange,
            format!("exponent {} is outside [-18, 0]", raw.expo),
        );
    }
    let drift = i64::try_from(limits.max_future_drift_s)
        .map_err(|_| ContractError::OutOfRange { what: "drift" })?;
    let latest_ok = now
        .checked_add(drift)
        .ok_or(ContractError::OutOfRange { what: "time" })?;
    if raw.publish_time > latest_ok {
        return reject(
            RejectReason::FuturePublishTime,
            format!(
                "publish_time {} is after block time {} + {}s drift",
                raw.publish_time, now, limits.max_future_drift_s
            ),
        );
    }
    let staleness = i64::try_from(limits.max_staleness_s)
        .map_err(|_| ContractError::OutOfRange { what: "staleness" })?;
    let oldest_ok = now
        .checked_sub(staleness)
        .ok_or(ContractError::OutOfRange { what: "time" })?;
    if raw.publish_time < oldest_ok {
        return reject(
            RejectReason::Stale,
            format!(
                "publish_time {} is before block time {} - {}s staleness",
                raw.publish_time, now, limits.max_staleness_s
            ),
        );
    }
    // price > 0 was checked above, so the conversion cannot fail.
    let price =
        u64::try_from(raw.price).map_err(|_| ContractError::OutOfRange { what: "price" })?;
    // conf / price > bps / 10000  <=>  conf * 10000 > price * bps (exact in u128).
    let lhs = u128::from(raw.conf)
        .checked_mul(10_000)
        .ok_or(ContractError::OutOfRange { what: "conf" })?;
    let rhs = u128::from(price)
        .checked_mul(u128::from(limits.max_conf_bps))
        .ok_or(ContractError::OutOfRange { what: "price" })?;
    if lhs > rhs {
        return reject(
            RejectReason::LowConfidence,
            format!(
                "conf {} is more than {} bps of price {}",
                raw.conf, limits.max_conf_bps, raw.price
            ),
        );
    }
    Ok(Outcome::Accepted {
        price: normalize(price, raw.expo)?,
        conf: normalize(raw.conf, raw.expo)?,
    })
}

fn secs(from: i64, to: i64) -> Result<u64, ContractError> {
    to.checked_sub(from)
        .and_then(|d| u64::try_from(d).ok())
        .ok_or(ContractError::OutOfRange { what: "interval" })
}

/// Time-weighted average over `[now − window_s, now]` of a source's observations, given newest
/// first as `(publish_time, price)` with strictly decreasing times.
///
/// The price in force at time τ is the newest observation published at or before τ. Each price
/// is weighted by the whole seconds it was in force inside the window; the newest observation
/// published at or before the window start is clamped to it. If the oldest observation given is
/// after the window start (history shorter than the window, or overwritten in the ring buffer),
/// the average covers only the time since it. Observations published after `now` (allowed up to
/// the future drift) are not yet in force. When no time is covered at all (every observation is
/// at or after `now`), the result is the price in force at `now`, or else the observation
/// closest to it; so a single observation yields its own price. `None` without observations.
///
/// Result: `Σ price·seconds / Σ seconds`, exact numerator, division rounded down to 18 decimals.
pub fn twap(
    observations: &[(i64, Decimal256)],
    now: i64,
    window_s: u64,
) -> Result<Option<Decimal256>, ContractError> {
    let window =
        i64::try_from(window_s).map_err(|_| ContractError::OutOfRange { what: "window" })?;
    let start = now
        .checked_sub(window)
        .ok_or(ContractError::OutOfRange { what: "time" })?;
    let mut end = now;
    let mut weighted = Uint256::zero();
    let mut total: u64 = 0;
    let mut fallback = None;
    for &(time, price) in observations {
        if fallback.is_none() && time <= now {
            fallback = Some(price);
        }
        let effective = time.min(now);
        let from = effective.max(start);
        if from < end {
            let seconds = secs(from, end)?;
            weighted =
                weighted.checked_add(price.atomics().checked_mul(Uint256::from(seconds))?)?;
            total = total
                .checked_add(seconds)
                .ok_or(ContractError::OutOfRange { what: "seconds" })?;
            end = from;
        }
        if effective <= start {
            break;
        }
    }
    if total == 0 {
        return Ok(fallback.or_else(|| observations.last().map(|&(_, p)| p)));
    }
    Ok(Some(Decimal256::new(
        weighted.checked_div(Uint256::from(total))?,
    )))
}

/// Median of `values`: the middle value, or for an even count the mean of the two middle values
/// rounded down to 18 decimals. `None` for no values. Independent of input order.
pub fn median(mut values: Vec<Decimal256>) -> Result<Option<Decimal256>, ContractError> {
    values.sort();
    let n = values.len();
    let mid = n / 2;
    if n == 0 {
        return Ok(None);
    }
    if n % 2 == 1 {
        return Ok(values.get(mid).copied());
    }
    let (Some(a), Some(b)) = (
        mid.checked_sub(1).and_then(|i| values.get(i)),
        values.get(mid),
    ) else {
        return Ok(None);
    };
    let sum = a.atomics().checked_add(b.atomics())?;
    Ok(Some(Decimal256::new(sum.checked_div(Uint256::from(2u8))?)))
}

/// Whether `(max − min) / min > bps / 10000`, exactly; and the spread in bps rounded up.
pub fn deviation(min: Decimal256, max: Decimal256, bps: u32) -> Result<(bool, u64), ContractError> {
    let spread = max.atomics().checked_sub(min.atomics())?;
    let lhs = spread.checked_mul(Uint256::from(10_000u32))?;
    let rhs = min.atomics().checked_mul(Uint256::from(bps))?;
    let exceeds = lhs > rhs;
    if min.is_zero() {
        return Ok((!spread.is_zero(), u64::MAX));
    }
    let ceil = lhs
        .checked_add(min.atomics().checked_sub(Uint256::one())?)?
        .checked_div(min.atomics())?;
    Ok((
        exceeds,
        Uint64::try_from(ceil).map_or(u64::MAX, |v| v.u64()),
    ))
}

/// What the aggregate needs to know about one source.
#[derive(Clone, Debug)]
pub struct SourceInput {
    pub source: String,
    pub latest: Option<Observation>,
    pub last_rejection: Option<Rejection>,
    /// Observations in the TWAP window (see `pair::inputs`), newest first.
    pub window: Vec<(i64, Decimal256)>,
}

/// The health of a pair at one block time.
#[derive(Clone, Debug, PartialEq)]
pub struct Evaluation {
    pub health: Health,
    pub reason: String,
    /// Median of the TWAPs of the sources used (when any is; informative unless `healthy`).
    pub price: Option<Decimal256>,
    /// Oldest latest publish time among the sources used.
    pub publish_time: Option<i64>,
    pub healthy_sources: u32,
    /// Healthy sources not left out: the ones in `price`.
    pub sources_used: u32,
    /// Healthy sources further than the limit from the median of the others.
    pub left_out: Vec<LeftOut>,
    /// Spread of all healthy TWAPs, left-out ones included.
    pub deviation_bps: Option<u64>,
    pub sources: Vec<SourceHealth>,
}

impl Evaluation {
    /// The price consumers are served: `price` when the pair is healthy, else none.
    pub fn price_in_force(&self) -> Option<Decimal256> {
        self.price.filter(|_| self.health == Health::Healthy)
    }
}

fn source_health(
    limits: &Limits,
    now: i64,
    input: &SourceInput,
) -> Result<SourceHealth, ContractError> {
    let mut out = SourceHealth {
        source: input.source.clone(),
        status: SourceStatus::Healthy,
        twap: None,
        latest_price: input.latest.as_ref().map(|o| o.price),
        publish_time: input.latest.as_ref().map(|o| o.publish_time),
        detail: String::new(),
    };
    let staleness = i64::try_from(limits.max_staleness_s)
        .map_err(|_| ContractError::OutOfRange { what: "staleness" })?;
    let oldest_ok = now
        .checked_sub(staleness)
        .ok_or(ContractError::OutOfRange { what: "time" })?;
    let low_confidence = input
        .last_rejection
        .as_ref()
        .filter(|r| r.reason == RejectReason::LowConfidence);
    match (&input.latest, low_confidence) {
        (_, Some(rejection)) => {
            out.status = SourceStatus::LowConfidence;
            out.detail = format!("newest observation rejected: {}", rejection.detail);
        }
        (None, None) => {
            out.status = SourceStatus::NoData;
            out.detail = "no observation yet".to_string();
        }
        (Some(latest), None) if latest.publish_time < oldest_ok => {
            out.status = SourceStatus::Stale;
            out.detail = format!(
                "last published at {}, {}s before block time {} (max {}s)",
                latest.publish_time,
                secs(latest.publish_time, now)?,
                now,
                limits.max_staleness_s
            );
        }
        (Some(_), None) => {
            out.twap = twap(&input.window, now, limits.twap_window_s)?;
            out.detail = "fresh".to_string();
        }
    }
    Ok(out)
}

fn describe(sources: &[SourceHealth]) -> String {
    sources
        .iter()
        .filter(|s| s.status != SourceStatus::Healthy)
        .map(|s| format!("{}: {}", s.source, s.detail))
        .collect::<Vec<_>>()
        .join("; ")
}

fn describe_left_out(left_out: &[LeftOut]) -> String {
    left_out
        .iter()
        .map(|l| format!("{}: {}", l.source, l.reason))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The median of the values other than `values[index]` that is nearest to `values[index]`: the
/// middle one of an odd number of others; for an even number every value between the two middle
/// ones is a median, so `values[index]` clamped to them. `None` without others.
pub fn median_of_others(values: &[Decimal256], index: usize) -> Option<Decimal256> {
    let value = *values.get(index)?;
    let mut others: Vec<Decimal256> = values
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != index)
        .map(|(_, v)| *v)
        .collect();
    others.sort();
    let n = others.len();
    let lower = *others.get(n.checked_sub(1)? / 2)?;
    let upper = *others.get(n / 2)?;
    Some(value.max(lower).min(upper))
}

/// The healthy TWAPs (in any order) that are further than `bps` from the median of the others:
/// `(index, median of the others, distance in bps rounded up)`. A lone value has no others and
/// is never left out.
///
/// Each value is judged against the others only, once: one wrong source cannot pull the
/// reference towards itself, and every value of a group whose spread is within the limit is
/// kept whenever the group is a majority, since the median of its others then lies inside the
/// group.
pub fn outliers(
    twaps: &[Decimal256],
    bps: u32,
) -> Result<Vec<(usize, Decimal256, u64)>, ContractError> {
    let mut out = Vec::new();
    for (index, &value) in twaps.iter().enumerate() {
        let Some(reference) = median_of_others(twaps, index) else {
            continue;
        };
        let (exceeds, distance) = deviation(value.min(reference), value.max(reference), bps)?;
        if exceeds {
            out.push((index, reference, distance));
        }
    }
    Ok(out)
}

/// Classifies a pair:
/// 1. no source configured → `low_sources`;
/// 2. at least `min_sources` healthy → the healthy sources further than `max_deviation_bps` from
///    the median of the other healthy ones ([`outliers`]) are left out; `healthy` if at least
///    `min_sources` and a strict majority of the healthy sources remain, else `deviation`;
/// 3. no healthy source → `low_confidence` if any source is excluded for confidence, else `stale`;
/// 4. otherwise (some, too few) → `low_sources`.
///
/// The price is the median of the TWAPs of the sources that remain. A source is
/// `low_confidence` when the newest observation it offered was rejected for its confidence
/// interval (it is publishing, but too uncertain; this wins over stale or no data); otherwise
/// `no_data` without observations, `stale` when its latest `publish_time` is older than
/// `max_staleness_s`, else healthy. Other rejections leave the previous observation in use until
/// it turns stale.
pub fn evaluate(
    limits: &Limits,
    now: i64,
    inputs: &[SourceInput],
) -> Result<Evaluation, ContractError> {
    let mut sources = inputs
        .iter()
        .map(|i| source_health(limits, now, i))
        .collect::<Result<Vec<_>, _>>()?;
    // (position in `sources`, TWAP) of each healthy source.
    let healthy: Vec<(usize, Decimal256)> = sources
        .iter()
        .enumerate()
        .filter(|(_, s)| s.status == SourceStatus::Healthy)
        .filter_map(|(i, s)| s.twap.map(|t| (i, t)))
        .collect();
    let twaps: Vec<Decimal256> = healthy.iter().map(|&(_, t)| t).collect();
    let count =
        |n: usize| u32::try_from(n).map_err(|_| ContractError::OutOfRange { what: "sources" });
    let healthy_sources = count(twaps.len())?;
    let (min, max) = (twaps.iter().min().copied(), twaps.iter().max().copied());
    let deviation_bps = match (min, max) {
        (Some(min), Some(max)) => Some(deviation(min, max, limits.max_deviation_bps)?.1),
        _ => None,
    };
    let flagged = outliers(&twaps, limits.max_deviation_bps)?;
    let mut left_out = Vec::new();
    for &(index, reference, distance) in &flagged {
        let Some(&(position, twap)) = healthy.get(index) else {
            continue;
        };
        let Some(source) = sources.get_mut(position) else {
            continue;
        };
        let reason = format!(
            "twap {twap} is {distance} bps from {reference}, the median of the other healthy \
             sources (limit {} bps)",
            limits.max_deviation_bps
        );
        source.detail = format!("left out: {reason}");
        left_out.push(LeftOut {
            source: source.source.clone(),
            twap,
            median_of_others: reference,
            deviation_bps: distance,
            reason,
        });
    }
    let used: Vec<&SourceHealth> = healthy
        .iter()
        .enumerate()
        .filter(|(index, _)| !flagged.iter().any(|f| f.0 == *index))
        .filter_map(|(_, &(position, _))| sources.get(position))
        .collect();
    let sources_used = count(used.len())?;
    let price = median(used.iter().filter_map(|s| s.twap).collect())?;
    let publish_time = used.iter().filter_map(|s| s.publish_time).min();
    // A strict majority: used > healthy − used.
    let majority = sources_used > healthy_sources.saturating_sub(sources_used);
    let (health, reason) = if sources.is_empty() {
        (Health::LowSources, "no sources configured".to_string())
    } else if healthy_sources >= limits.min_sources {
        let bps = deviation_bps.unwrap_or(0);
        if sources_used >= limits.min_sources && majority {
            let mut reason = format!(
                "{} of {} sources healthy, deviation {} bps",
                healthy_sources,
                sources.len(),
                bps
            );
            if !left_out.is_empty() {
                reason = format!(
                    "{reason}; {sources_used} used, left out {}",
                    describe_left_out(&left_out)
                );
            }
            (Health::Healthy, reason)
        } else {
            (
                Health::Deviation,
                format!(
                    "{} of {} healthy sources within {} bps of the median of the others, \
                     {} and a strict majority required; left out {}",
                    sources_used,
                    healthy_sources,
                    limits.max_deviation_bps,
                    limits.min_sources,
                    describe_left_out(&left_out)
                ),
            )
        }
    } else if healthy_sources == 0 {
        let low_conf = sources
            .iter()
            .any(|s| s.status == SourceStatus::LowConfidence);
        let health = if low_conf {
            Health::LowConfidence
        } else {
            Health::Stale
        };
        (health, format!("no healthy source: {}", describe(&sources)))
    } else {
        (
            Health::LowSources,
            format!(
                "{} healthy source(s), {} required; {}",
                healthy_sources,
                limits.min_sources,
                describe(&sources)
            ),
        )
    };
    Ok(Evaluation {
        health,
        reason,
        price,
        publish_time,
        healthy_sources,
        sources_used,
        left_out,
        deviation_bps,
        sources,
    })
}

#[cfg(test)]
#[path = "aggregate_tests.rs"]
mod tests;
