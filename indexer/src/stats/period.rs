//! The network "by the numbers" for any period (the year-in-review table): each figure over a
//! period of UTC days with the figure of a comparison period and the growth between them.
//!
//! A **period** `[from, to]` (UTC days, inclusive) is the window of blocks `(lo, hi]`: `lo` the
//! last indexed block before `from`, `hi` the last indexed block of `to` (of the day in progress
//! when `to` is today). Flows are summed over the window with the definitions of
//! [`super::rolling`] and [`super::levels`]; levels are taken after `hi`. The comparison period
//! is, by default, as many days right before `from` ([`Compare::Previous`]).
//!
//! **Growth** = (value − previous) / previous × 100, rounded to one decimal: `+12.5%`, `-3%`,
//! `0%`; when the previous value is 0 it is `new` (or `0%` when both are 0), never a division by
//! zero.

use chrono::{Duration, Months, NaiveDate};
use deadpool_postgres::Pool;

use super::levels::flows;
use super::rolling::{leases_opened, window_spend, Window};
use super::{decimal, one_to_one_denoms, query, trim_decimal, Current, DayRange, Filter, Now};
use crate::api::ApiError;

/// Which period a summary is compared with.
#[derive(async_graphql::Enum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Compare {
    /// As many days right before the period (2025 against 2024 for a calendar year).
    #[default]
    Previous,
    /// The same days one year earlier.
    YearBefore,
}

impl Compare {
    /// `previous` / `year_before` (REST and CLI spelling, case-insensitive).
    pub fn parse(s: &str) -> Result<Compare, ApiError> {
        match s.to_ascii_lowercase().as_str() {
            "previous" => Ok(Compare::Previous),
            "year_before" => Ok(Compare::YearBefore),
            other => Err(ApiError::bad_input(
                "INVALID_COMPARE",
                format!("unknown compareTo {other:?}: previous or year_before"),
            )),
        }
    }

    /// The comparison days of `[from, to]`.
    fn of(self, from: NaiveDate, to: NaiveDate) -> (NaiveDate, NaiveDate) {
        match self {
            Compare::Previous => {
                let days = (to - from).num_days() + 1;
                (from - Duration::days(days), from - Duration::days(1))
            }
            Compare::YearBefore => (
                from.checked_sub_months(Months::new(12)).unwrap_or(from),
                to.checked_sub_months(Months::new(12)).unwrap_or(to),
            ),
        }
    }
}

/// The figures of the table, in its order.
#[derive(async_graphql::Enum, serde::Serialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Figure {
    /// **Deployments created**: escrow accounts opened in the period (`account_opened`).
    DeploymentsCreated,
    /// **New leases**: payments opened in the period (`payment_opened`).
    NewLeases,
    /// **Active deployments at the end**: escrow accounts with at least one payment live after
    /// the period's last block (live as in [`super::rolling::active_at`]).
    ActiveDeployments,
    /// **Network spend** of one denom: Σ rate over the payments' live blocks in the period, in
    /// base units (uakt, uact, the USD stablecoin), as [`super::rolling::window_spend`].
    Spend,
    /// **Total USD spent**: the USD of every denom's spend (§7's on-chain USD: AKT at the
    /// oracle's aggregate price in force at each block, ACT and the stablecoin 1:1).
    TotalUsdSpent,
    /// **Average fee per lease** (USD): total USD spent / the leases that were live for at
    /// least one block of the period, truncated to 10^-6 USD. Every lease that was paid for in
    /// the period counts, not only those opened in it: a lease opened the year before and still
    /// running is paid in this period and its spend is in the total, so dividing by new leases
    /// alone would credit older leases' spend to the new ones.
    AverageFeePerLease,
    /// **Leases paid for**: the divisor of the average, leases live at least one block.
    LeasesPaid,
    /// **ACT minted** (uact) by executed mints ([`super::levels::Flows::act_minted`]).
    ActMinted,
    /// **ACT burned** (uact) by executed burns.
    ActBurned,
    /// **PIP paid** (USD): incentive pilot payouts valued at the pilot's price.
    PipPaidUsd,
    /// **Reserved GPU-hours** claimed on reservations.
    ReservedGpuHours,
}

impl Figure {
    /// The row label, as the review's table names it.
    pub fn label(self) -> &'static str {
        match self {
            Figure::DeploymentsCreated => "Deployments created",
            Figure::NewLeases => "New leases",
            Figure::ActiveDeployments => "Active deployments (end of period)",
            Figure::Spend => "Network spend",
            Figure::TotalUsdSpent => "Total USD spent",
            Figure::AverageFeePerLease => "Average fee per lease (USD)",
            Figure::LeasesPaid => "Leases paid for",
            Figure::ActMinted => "ACT minted (uact)",
            Figure::ActBurned => "ACT burned (uact)",
            Figure::PipPaidUsd => "PIP paid (USD)",
            Figure::ReservedGpuHours => "Reserved GPU-hours",
        }
    }
}

/// One row of the table.
#[derive(async_graphql::SimpleObject, serde::Serialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct PeriodRow {
    pub figure: Figure,
    /// [`Figure::label`], with the denom for spend rows.
    pub label: String,
    /// Set on `SPEND` rows.
    pub denom: Option<String>,
    /// Exact decimal.
    pub value: String,
    /// The same figure over the comparison period.
    pub previous: String,
    /// (value − previous) / previous × 100 to one decimal; absent when `previous` is 0.
    pub growth_percent: Option<String>,
    /// `+12.5%`, `-3%`, `0%`, or `new` when `previous` is 0 and `value` is not.
    pub growth: String,
    /// A carried (stale) price or an unpriced block went into either USD value.
    pub estimated: bool,
}

/// The table.
#[derive(async_graphql::SimpleObject, serde::Serialize, Clone, Debug, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct PeriodSummary {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub compare_from: NaiveDate,
    pub compare_to: NaiveDate,
    /// The period's window of blocks `(first_height - 1, last_height]` (0 when it has none).
    pub last_height: i64,
    pub compare_last_height: i64,
    /// The period includes the day in progress: its figures still grow.
    pub in_progress: bool,
    pub rows: Vec<PeriodRow>,
}

/// The figures of one period, before comparison.
struct Figures {
    /// (figure, denom, value, estimated).
    rows: Vec<(Figure, Option<String>, String, bool)>,
}

/// The denoms every table shows a spend row for.
fn spend_denoms() -> Vec<String> {
    let mut denoms = vec![supercloud_chain::AKT_DENOM.to_string()];
    denoms.extend(one_to_one_denoms());
    denoms
}

/// The window `(lo, hi]` of the days `[from, to]` (both 0 before the first indexed day).
async fn window_of(pool: &Pool, from: NaiveDate, to: NaiveDate) -> Result<Window, ApiError> {
    let rows = query(
        pool,
        "SELECT coalesce((SELECT max(last_height) FROM daily_network WHERE day < $1), 0),
                coalesce((SELECT max(last_height) FROM daily_network WHERE day <= $2), 0)",
        &[&from, &to],
    )
    .await?;
    let r = rows
        .first()
        .ok_or_else(|| ApiError::Unavailable("no window".into()))?;
    Ok(Window {
        lo: r.get(0),
        hi: r.get::<_, i64>(1).max(r.get(0)),
    })
}

/// **Deployments created** in a window (see [`Figure::DeploymentsCreated`]).
pub async fn deployments_created(pool: &Pool, w: Window) -> Result<i64, ApiError> {
    let rows = query(
        pool,
        "SELECT count(*) FROM escrow_account_opened WHERE block_height > $1 AND block_height <= $2",
        &[&w.lo, &w.hi],
    )
    .await?;
    Ok(rows.first().map(|r| r.get(0)).unwrap_or(0))
}

/// **Active deployments** after block `height` (see [`Figure::ActiveDeployments`]), and **leases
/// paid for** in the window ending there (see [`Figure::LeasesPaid`]).
pub async fn deployments_and_leases(pool: &Pool, w: Window) -> Result<(i64, i64), ApiError> {
    let rows = query(
        pool,
        "SELECT
           (SELECT count(*) FROM (SELECT DISTINCT owner, dseq FROM payment_live_interval
              WHERE from_height <= $2 AND (to_height IS NULL OR to_height > $2)) a),
           (SELECT count(*) FROM (SELECT DISTINCT owner, dseq, payment_id FROM payment_live_interval
              WHERE from_height < $2 AND (to_height IS NULL OR to_height > $1)
                AND GREATEST(from_height, $1) < LEAST(coalesce(to_height, $2), $2)) l)",
        &[&w.lo, &w.hi],
    )
    .await?;
    Ok(rows.first().map(|r| (r.get(0), r.get(1))).unwrap_or((0, 0)))
}

/// Every figure of one window.
async fn figures(pool: &Pool, w: Window) -> Result<Figures, ApiError> {
    let none = Filter::default();
    let empty = w.hi <= w.lo;
    let (created, opened, (active, paid), spend, net) = futures::try_join!(
        deployments_created(pool, w),
        leases_opened(pool, w, &none),
        deployments_and_leases(pool, w),
        window_spend(pool, w, &none),
        flows(pool, w),
    )?;
    // An empty window (a period before the first indexed day) pays for no lease.
    let paid = if empty { 0 } else { paid };
    let mut rows = vec![
        (Figure::DeploymentsCreated, None, created.to_string(), false),
        (Figure::NewLeases, None, opened.to_string(), false),
        (Figure::ActiveDeployments, None, active.to_string(), false),
    ];
    let mut usd = "0".to_string();
    let mut estimated = false;
    for denom in spend_denoms() {
        let s = spend.iter().find(|s| s.denom == denom);
        let value = s.map_or_else(|| "0".to_string(), |s| s.spend.clone());
        rows.push((Figure::Spend, Some(denom), value, false));
    }
    for s in &spend {
        if let Some(u) = &s.spend_usd {
            usd = decimal::add(&usd, u).ok_or_else(|| bad_decimal(u))?;
        }
        estimated |= s.usd_estimated;
    }
    rows.push((Figure::TotalUsdSpent, None, usd.clone(), estimated));
    rows.push((
        Figure::AverageFeePerLease,
        None,
        average(pool, &usd, paid).await?,
        estimated,
    ));
    rows.push((Figure::LeasesPaid, None, paid.to_string(), false));
    rows.push((Figure::ActMinted, None, net.act_minted, false));
    rows.push((Figure::ActBurned, None, net.act_burned, false));
    rows.push((Figure::PipPaidUsd, None, net.pip_paid_usd, false));
    rows.push((
        Figure::ReservedGpuHours,
        None,
        net.reserved_gpu_hours,
        false,
    ));
    Ok(Figures { rows })
}

fn bad_decimal(s: &str) -> ApiError {
    ApiError::Unavailable(format!("not a decimal in the database: {s}"))
}

/// `usd / leases` truncated to 10^-6 (0 without leases), exactly (NUMERIC).
async fn average(pool: &Pool, usd: &str, leases: i64) -> Result<String, ApiError> {
    if leases == 0 {
        return Ok("0".into());
    }
    let rows = query(
        pool,
        "SELECT trim_scale(trunc($1::text::numeric / $2::bigint, 6))::text",
        &[&usd, &leases],
    )
    .await?;
    Ok(rows
        .first()
        .map(|r| trim_decimal(&r.get::<_, String>(0)))
        .unwrap_or_else(|| "0".into()))
}

/// Growth of each (value, previous) pair: (percent to one decimal, label).
async fn growth(
    pool: &Pool,
    pairs: &[(String, String)],
) -> Result<Vec<(Option<String>, String)>, ApiError> {
    let values: Vec<&str> = pairs.iter().map(|p| p.0.as_str()).collect();
    let previous: Vec<&str> = pairs.iter().map(|p| p.1.as_str()).collect();
    let rows = query(
        pool,
        "SELECT CASE WHEN p::numeric = 0 THEN NULL
                     ELSE trim_scale(round((v::numeric - p::numeric) * 100 / p::numeric, 1))::text END,
                v::numeric = 0
         FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS x(v, p, i) ORDER BY i",
        &[&values, &previous],
    )
    .await?;
    Ok(rows
        .iter()
        .map(|r| {
            let percent: Option<String> = r.get::<_, Option<String>>(0).map(|s| trim_decimal(&s));
            let zero: bool = r.get(1);
            let label = match &percent {
                None if zero => "0%".to_string(),
                None => "new".to_string(),
                Some(p) if p.starts_with('-') || p == "0" => format!("{p}%"),
                Some(p) => format!("+{p}%"),
            };
            (percent, label)
        })
        .collect())
}

/// **The period summary**: every [`Figure`] over the days `[from, to]` (`YYYY-MM-DD`; default
/// the last 30 days through the day in progress; `to` is capped at it) and over the comparison
/// period, with the growth between them.
pub async fn period_summary(
    pool: &Pool,
    range: &DayRange,
    compare: Compare,
) -> Result<PeriodSummary, ApiError> {
    let (compare_from, compare_to) = compare.of(range.from, range.to);
    let (w, cw) = futures::try_join!(
        window_of(pool, range.from, range.to),
        window_of(pool, compare_from, compare_to)
    )?;
    let (cur, prev) = futures::try_join!(figures(pool, w), figures(pool, cw))?;
    let pairs: Vec<(String, String)> = cur
        .rows
        .iter()
        .zip(&prev.rows)
        .map(|(c, p)| (c.2.clone(), p.2.clone()))
        .collect();
    let growths = growth(pool, &pairs).await?;
    let rows = cur
        .rows
        .into_iter()
        .zip(prev.rows)
        .zip(growths)
        .map(
            |(
                ((figure, denom, value, est), (_, _, previous, prev_est)),
                (growth_percent, growth),
            )| {
                let label = match &denom {
                    Some(d) => format!("{} ({d})", figure.label()),
                    None => figure.label().to_string(),
                };
                PeriodRow {
                    figure,
                    label,
                    denom,
                    value,
                    previous,
                    growth_percent,
                    growth,
                    estimated: est || prev_est,
                }
            },
        )
        .collect();
    Ok(PeriodSummary {
        from: range.from,
        to: range.to,
        compare_from,
        compare_to,
        last_height: w.hi,
        compare_last_height: cw.hi,
        in_progress: range.in_progress(range.to),
        rows,
    })
}

/// [`period_summary`] for optional `YYYY-MM-DD` days (default: the last 30 days through the day
/// in progress) and an optional `compareTo` spelling ([`Compare::parse`]).
pub async fn read(
    pool: &Pool,
    from: Option<&str>,
    to: Option<&str>,
    compare: Option<&str>,
) -> Result<PeriodSummary, ApiError> {
    let compare = compare.map(Compare::parse).transpose()?.unwrap_or_default();
    let now = Now::read(pool).await?;
    let range = DayRange::parse(&now, from, to, Current::Include)?;
    period_summary(pool, &range, compare).await
}

/// How `indexer export --period-summary` writes the table.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Format {
    /// One row per figure (see [`csv`]).
    #[default]
    Csv,
    /// The review's table (see [`markdown`]).
    Markdown,
}

/// Writes the table for `from`/`to`/`compare` in `format`.
pub async fn export(
    pool: &Pool,
    from: Option<&str>,
    to: Option<&str>,
    compare: Option<&str>,
    format: Format,
    out: &mut (dyn std::io::Write + Send),
) -> Result<(), ApiError> {
    let summary = read(pool, from, to, compare).await?;
    match format {
        Format::Csv => csv(&summary, out),
        Format::Markdown => out
            .write_all(markdown(&summary).as_bytes())
            .map_err(|e| ApiError::Unavailable(format!("writing the table: {e}"))),
    }
}

/// The table as Markdown (the review's layout: figure, this period, the one before, growth).
pub fn markdown(s: &PeriodSummary) -> String {
    let mut out = format!(
        "| Figure | {} – {} | {} – {} | Growth |\n|---|---:|---:|---:|\n",
        s.from, s.to, s.compare_from, s.compare_to
    );
    for r in &s.rows {
        let mark = if r.estimated { " *" } else { "" };
        out.push_str(&format!(
            "| {}{mark} | {} | {} | {} |\n",
            r.label, r.value, r.previous, r.growth
        ));
    }
    if s.rows.iter().any(|r| r.estimated) {
        out.push_str("\n\\* USD from a carried (stale) price or with unpriced blocks.\n");
    }
    if s.in_progress {
        out.push_str("\nThe period includes the day in progress: its figures still grow.\n");
    }
    out
}

/// The table as CSV: `figure,label,denom,value,previous,growth_percent,growth,estimated`.
pub fn csv(s: &PeriodSummary, out: &mut (dyn std::io::Write + Send)) -> Result<(), ApiError> {
    let io = |e: csv::Error| ApiError::Unavailable(format!("writing the CSV: {e}"));
    let mut w = csv::Writer::from_writer(out);
    w.write_record([
        "figure",
        "label",
        "denom",
        "value",
        "previous",
        "growth_percent",
        "growth",
        "estimated",
    ])
    .map_err(io)?;
    for r in &s.rows {
        w.write_record([
            figure_name(r.figure),
            r.label.as_str(),
            r.denom.as_deref().unwrap_or(""),
            r.value.as_str(),
            r.previous.as_str(),
            r.growth_percent.as_deref().unwrap_or(""),
            r.growth.as_str(),
            if r.estimated { "true" } else { "false" },
        ])
        .map_err(io)?;
    }
    w.flush()
        .map_err(|e| ApiError::Unavailable(format!("writing the CSV: {e}")))
}

/// The figure's GraphQL enum name (`DEPLOYMENTS_CREATED`, …), the one spelling in CSV and REST.
pub fn figure_name(f: Figure) -> &'static str {
    match f {
        Figure::DeploymentsCreated => "DEPLOYMENTS_CREATED",
        Figure::NewLeases => "NEW_LEASES",
        Figure::ActiveDeployments => "ACTIVE_DEPLOYMENTS",
        Figure::Spend => "SPEND",
        Figure::TotalUsdSpent => "TOTAL_USD_SPENT",
        Figure::AverageFeePerLease => "AVERAGE_FEE_PER_LEASE",
        Figure::LeasesPaid => "LEASES_PAID",
        Figure::ActMinted => "ACT_MINTED",
        Figure::ActBurned => "ACT_BURNED",
        Figure::PipPaidUsd => "PIP_PAID_USD",
        Figure::ReservedGpuHours => "RESERVED_GPU_HOURS",
    }
}
