//! Chart series (DESIGN §7 "daily series for charts"): one metric per day (or per hour for the
//! oracle price), optionally broken down. Each metric's definition is on its variant.

use chrono::{DateTime, Duration, DurationRound, NaiveDate, Utc};
use deadpool_postgres::Pool;

use super::clock::{midnight, parse_time};
use super::spend::daily_spend;
use super::{decimal, price, query, trim_decimal, DayRange, Filter, GroupBy, Grouping, Now};
use crate::api::ApiError;

/// Most hours one hourly series may span (31 days).
pub const MAX_HOURS: i64 = 744;

/// A chartable metric.
#[derive(async_graphql::Enum, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Metric {
    /// Daily spend per denom, base units ([`super::spend::daily_spend`]).
    Spend,
    /// Daily spend in USD summed over denoms (uakt at the price in force at each block).
    SpendUsd,
    /// Payments opened in the day (`daily_lease.leases_opened`).
    LeasesOpened,
    /// Payments live after the day's last indexed block (`leases_active`).
    ActiveLeases,
    /// GPUs declared by the payments live after the day's last block (`gpus_active`); group by
    /// GPU model for the breakdown.
    ActiveGpus,
    /// ACT supply (uact) after the day's last block.
    ActSupply,
    /// Vault AKT (uakt, free of pending mints) after the day's last block.
    VaultAkt,
    /// Collateral ratio (basis points) after the day's last block.
    CollateralRatio,
    /// uact credited by executed mints in the day.
    ActMinted,
    /// uact burned by executed burns in the day.
    ActBurned,
    /// uakt moved into the vault by executed mints in the day.
    AktVaulted,
    /// PIP payouts in USD in the day.
    PipPayoutsUsd,
    /// GPU-hours claimed on reservations in the day.
    ReservedGpuHours,
    /// AKT/USD in force at the day's (or hour's) last indexed block; `estimated` when carried.
    OraclePrice,
}

/// Bucket width of a series.
#[derive(async_graphql::Enum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Interval {
    /// One point per hour (the oracle price only: the rollups are daily).
    Hour,
    /// One point per UTC day.
    #[default]
    Day,
}

/// One point of a series.
#[derive(async_graphql::SimpleObject, Clone, Debug, PartialEq, Eq)]
pub struct SeriesPoint {
    /// Start of the bucket (midnight UTC for daily points).
    pub time: DateTime<Utc>,
    /// The bucket holds the latest indexed block: its value still changes.
    pub in_progress: bool,
    /// Set for per-denom metrics.
    pub denom: Option<String>,
    /// Set when grouped by provider.
    pub provider: Option<String>,
    /// Set when grouped by owner.
    pub owner: Option<String>,
    /// Set when grouped by GPU model.
    pub gpu_model: Option<String>,
    /// Set when grouped by depositor.
    pub depositor: Option<String>,
    /// Exact decimal.
    pub value: String,
    /// A carried (stale) price or an unpriced block went into the value.
    pub estimated: bool,
}

impl Metric {
    /// The `daily_network` expression of a network metric (`None` for lease metrics).
    fn network_expr(self) -> Option<(&'static str, &'static str)> {
        Some(match self {
            Metric::ActSupply => ("act_supply::text", "false"),
            Metric::VaultAkt => ("vault_akt::text", "false"),
            Metric::CollateralRatio => ("cr_bps::text", "false"),
            Metric::ActMinted => ("act_minted::text", "false"),
            Metric::ActBurned => ("act_burned::text", "false"),
            Metric::AktVaulted => ("akt_vaulted::text", "false"),
            Metric::PipPayoutsUsd => ("trim_scale(pip_paid_usd)::text", "false"),
            Metric::ReservedGpuHours => {
                ("trim_scale(reserved_gpu_seconds / 3600.0)::text", "false")
            }
            Metric::OraclePrice => ("trim_scale(akt_usd)::text", "price_stale"),
            _ => return None,
        })
    }

    /// The `daily_lease` count column of a lease count metric.
    fn lease_count(self) -> Option<&'static str> {
        match self {
            Metric::LeasesOpened => Some("leases_opened"),
            Metric::ActiveLeases => Some("leases_active"),
            Metric::ActiveGpus => Some("gpus_active"),
            _ => None,
        }
    }
}

/// The arguments of a series request, as the caller gave them.
#[derive(Clone, Debug, Default)]
pub struct SeriesArgs<'a> {
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
    pub current: super::Current,
}

/// `metric` per `interval` over the range, grouped by `grouping` (lease metrics only), filtered.
pub async fn series(
    pool: &Pool,
    metric: Metric,
    interval: Interval,
    args: SeriesArgs<'_>,
    grouping: &Grouping,
    filter: &Filter,
) -> Result<Vec<SeriesPoint>, ApiError> {
    filter.check()?;
    let now = Now::read(pool).await?;
    if interval == Interval::Hour {
        if metric != Metric::OraclePrice {
            return Err(ApiError::bad_input(
                "INVALID_INTERVAL",
                format!("{metric:?} is kept per day; only OraclePrice has an HOUR series"),
            ));
        }
        grouping.allow_only(&[], "OraclePrice")?;
        return hourly_price(pool, &now, args).await;
    }
    let range = DayRange::parse(&now, args.from, args.to, args.current)?;
    if range.is_empty() {
        return Ok(Vec::new());
    }
    if let Some((expr, est)) = metric.network_expr() {
        grouping.allow_only(&[], &format!("{metric:?}"))?;
        if filter != &Filter::default() {
            return Err(ApiError::bad_input(
                "INVALID_FILTER",
                format!("{metric:?} is a network figure: it has no filters"),
            ));
        }
        let sql = format!(
            "SELECT day, {expr}, {est} FROM daily_network WHERE day BETWEEN $1 AND $2 ORDER BY day"
        );
        let rows = query(pool, &sql, &[&range.from, &range.to]).await?;
        return Ok(rows
            .iter()
            .filter_map(|r| {
                let value: Option<String> = r.get(1);
                Some(point(&range, r.get(0), None, value?, r.get(2)))
            })
            .collect());
    }
    if let Some(col) = metric.lease_count() {
        return lease_counts(pool, &range, col, grouping, filter).await;
    }
    let rows = daily_spend(pool, &range, grouping, filter).await?;
    Ok(match metric {
        Metric::SpendUsd => sum_usd(&range, rows),
        _ => rows
            .into_iter()
            .map(|r| SeriesPoint {
                denom: Some(r.denom),
                provider: r.provider,
                owner: r.owner,
                gpu_model: r.gpu_model,
                depositor: r.depositor,
                ..point(&range, r.day, None, r.spend, r.usd_estimated)
            })
            .collect(),
    })
}

fn point(
    range: &DayRange,
    day: NaiveDate,
    denom: Option<String>,
    value: String,
    estimated: bool,
) -> SeriesPoint {
    SeriesPoint {
        time: midnight(day),
        in_progress: range.in_progress(day),
        denom,
        provider: None,
        owner: None,
        gpu_model: None,
        depositor: None,
        value: trim_decimal(&value),
        estimated,
    }
}

/// Per day and group, the USD of every denom added up (denoms without a USD value left out).
fn sum_usd(range: &DayRange, rows: Vec<super::spend::SpendRow>) -> Vec<SeriesPoint> {
    let mut out: Vec<SeriesPoint> = Vec::new();
    // Rows come ordered by day, denom, groups: gather per (day, groups) keeping first-seen order.
    let mut index = std::collections::HashMap::new();
    for r in rows {
        let Some(usd) = r.spend_usd else { continue };
        let key = (
            r.day,
            r.provider.clone(),
            r.owner.clone(),
            r.gpu_model.clone(),
            r.depositor.clone(),
        );
        match index.get(&key) {
            Some(&i) => {
                let p: &mut SeriesPoint = &mut out[i];
                p.value = decimal::add(&p.value, &usd).unwrap_or_else(|| p.value.clone());
                p.estimated |= r.usd_estimated;
            }
            None => {
                index.insert(key, out.len());
                out.push(SeriesPoint {
                    provider: r.provider,
                    owner: r.owner,
                    gpu_model: r.gpu_model,
                    depositor: r.depositor,
                    ..point(range, r.day, None, usd, r.usd_estimated)
                });
            }
        }
    }
    out.sort_by(|a, b| {
        (a.time, &a.provider, &a.owner, &a.gpu_model, &a.depositor).cmp(&(
            b.time,
            &b.provider,
            &b.owner,
            &b.gpu_model,
            &b.depositor,
        ))
    });
    out
}

async fn lease_counts(
    pool: &Pool,
    range: &DayRange,
    col: &str,
    grouping: &Grouping,
    filter: &Filter,
) -> Result<Vec<SeriesPoint>, ApiError> {
    grouping.allow_only(&[GroupBy::Provider, GroupBy::Owner, GroupBy::GpuModel], col)?;
    if filter.by_depositor() {
        return Err(ApiError::bad_input(
            "INVALID_FILTER",
            format!("{col} has no depositor view"),
        ));
    }
    let sql = format!(
        "SELECT day, {p}, {o}, {g}, sum({col})::text FROM daily_lease
         WHERE day BETWEEN $1 AND $2 AND ($3::text IS NULL OR denom = $3)
           AND ($4::text IS NULL OR provider = $4) AND ($5::text IS NULL OR owner = $5)
           AND ($6::text IS NULL OR gpu_model = $6)
         GROUP BY day{tail} ORDER BY day{tail}",
        p = grouping.select(GroupBy::Provider),
        o = grouping.select(GroupBy::Owner),
        g = grouping.select(GroupBy::GpuModel),
        tail = grouping.tail(),
    );
    let rows = query(
        pool,
        &sql,
        &[
            &range.from,
            &range.to,
            &filter.denom,
            &filter.provider,
            &filter.owner,
            &filter.gpu_model,
        ],
    )
    .await?;
    Ok(rows
        .iter()
        .map(|r| SeriesPoint {
            provider: r.get(1),
            owner: r.get(2),
            gpu_model: r.get(3),
            ..point(range, r.get(0), None, r.get(4), false)
        })
        .collect())
}

async fn hourly_price(
    pool: &Pool,
    now: &Now,
    args: SeriesArgs<'_>,
) -> Result<Vec<SeriesPoint>, ApiError> {
    let hour = |t: DateTime<Utc>| t.duration_trunc(Duration::hours(1)).unwrap_or(t);
    let to = match args.to {
        Some(s) => parse_time("to", s)?.min(now.time),
        None => now.time,
    };
    let to = hour(to) + Duration::hours(1);
    let from = match args.from {
        Some(s) => hour(parse_time("from", s)?),
        None => to - Duration::hours(24),
    };
    if from >= to {
        return Err(ApiError::bad_input(
            "INVALID_RANGE",
            "from is not before to",
        ));
    }
    if (to - from).num_hours() > MAX_HOURS {
        return Err(ApiError::bad_input(
            "RANGE_TOO_LONG",
            format!("at most {MAX_HOURS} hours per hourly series"),
        ));
    }
    let current = hour(now.time);
    Ok(price::hourly(pool, from, to)
        .await?
        .into_iter()
        .filter(|h| !(args.current == super::Current::Exclude && h.hour == current))
        .filter_map(|h| {
            Some(SeriesPoint {
                time: h.hour,
                in_progress: h.hour == current,
                denom: None,
                provider: None,
                owner: None,
                gpu_model: None,
                depositor: None,
                value: h.price.akt_usd?,
                estimated: h.price.stale,
            })
        })
        .collect())
}
