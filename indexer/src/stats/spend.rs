//! Daily spend (DESIGN §7 "Spend"): per UTC day and denom, optionally broken down.

use chrono::NaiveDate;
use deadpool_postgres::Pool;

use super::{one_to_one_denoms, query, trim_decimal, DayRange, Filter, GroupBy, Grouping};
use crate::api::ApiError;

/// One day × denom × group of spend.
#[derive(async_graphql::SimpleObject, Clone, Debug, PartialEq, Eq)]
pub struct SpendRow {
    /// The UTC day.
    pub day: NaiveDate,
    /// The day of the latest indexed block: its figures still grow.
    pub in_progress: bool,
    /// The payments' denom.
    pub denom: String,
    /// Set when grouped by it.
    pub provider: Option<String>,
    /// Set when grouped by owner.
    pub owner: Option<String>,
    /// Set when grouped by GPU model.
    pub gpu_model: Option<String>,
    /// Set when grouped by depositor.
    pub depositor: Option<String>,
    /// Base units of `denom`, exact decimal.
    pub spend: String,
    /// US dollars, exact decimal; absent for a denom with no USD value.
    pub spend_usd: Option<String>,
    /// A carried (stale) price or an unpriced block went into `spend_usd`.
    pub usd_estimated: bool,
}

/// **Daily spend** of leases, per UTC day and denom (and per group when asked):
///
/// - by provider / owner / GPU model (the lease view, `daily_lease`): `spend` = Σ over the
///   payments' *live blocks* of the day (blocks whose time falls in the day) of the payment's
///   rate; a payment is live from the block after it opened through the block it closed, except
///   after the block its account exhausted until the block it reopened (§4.1: charging stops at
///   exhaustion). `spend_usd` = Σ rate × the AKT/USD price in force at each of those blocks /
///   10^6 for uakt, rate / 10^6 for uact and USDC;
/// - by depositor (the sponsor view, `daily_depositor_spend`): what settlements *on that day*
///   took from each depositor's deposits (`deposit_consumed`); settlement is lazy, so this is by
///   settlement day, not by the day of the blocks paid for. Its USD for uakt uses the day's
///   closing AKT price and is always flagged estimated.
///
/// Days without spend have no row. The day in progress is flagged `in_progress`.
pub async fn daily_spend(
    pool: &Pool,
    range: &DayRange,
    grouping: &Grouping,
    filter: &Filter,
) -> Result<Vec<SpendRow>, ApiError> {
    filter.check()?;
    if range.is_empty() {
        return Ok(Vec::new());
    }
    if grouping.has(GroupBy::Depositor) || filter.by_depositor() {
        if filter.provider.is_some() || filter.gpu_model.is_some() {
            return Err(ApiError::bad_input(
                "INVALID_FILTER",
                "the depositor view filters only by owner, depositor and denom",
            ));
        }
        return depositor_spend(pool, range, grouping, filter).await;
    }
    let sql = format!(
        "SELECT day, denom, {p}, {o}, {g}, NULL::text,
                trim_scale(sum(spend))::text, trim_scale(sum(spend_usd))::text,
                bool_or(usd_estimated)
         FROM daily_lease
         WHERE day BETWEEN $1 AND $2 AND ($3::text IS NULL OR denom = $3)
           AND ($4::text IS NULL OR provider = $4) AND ($5::text IS NULL OR owner = $5)
           AND ($6::text IS NULL OR gpu_model = $6)
         GROUP BY day, denom{tail} ORDER BY day, denom{tail}",
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
    Ok(rows.iter().map(|r| row(range, r)).collect())
}

/// The depositor view of [`daily_spend`].
async fn depositor_spend(
    pool: &Pool,
    range: &DayRange,
    grouping: &Grouping,
    filter: &Filter,
) -> Result<Vec<SpendRow>, ApiError> {
    let sql = format!(
        "SELECT d.day, d.denom, NULL::text, {o}, NULL::text, {dep},
                trim_scale(sum(d.amount))::text,
                trim_scale(sum(CASE WHEN d.denom = ANY($6) THEN d.amount * 0.000001
                                    WHEN d.denom = $7 THEN d.amount * n.akt_usd * 0.000001 END))::text,
                bool_or(d.denom = $7)
         FROM daily_depositor_spend d LEFT JOIN daily_network n ON n.day = d.day
         WHERE d.day BETWEEN $1 AND $2 AND ($3::text IS NULL OR d.denom = $3)
           AND ($4::text IS NULL OR d.depositor = $4) AND ($5::text IS NULL OR d.owner = $5)
         GROUP BY d.day, d.denom{tail} ORDER BY d.day, d.denom{tail}",
        o = grouping.select(GroupBy::Owner).replace("owner", "d.owner"),
        dep = grouping
            .select(GroupBy::Depositor)
            .replace("depositor", "d.depositor"),
        tail = grouping
            .tail()
            .replace("owner", "d.owner")
            .replace("depositor", "d.depositor"),
    );
    let akt = supercloud_chain::AKT_DENOM;
    let rows = query(
        pool,
        &sql,
        &[
            &range.from,
            &range.to,
            &filter.denom,
            &filter.depositor,
            &filter.owner,
            &one_to_one_denoms(),
            &akt,
        ],
    )
    .await?;
    Ok(rows.iter().map(|r| row(range, r)).collect())
}

fn row(range: &DayRange, r: &tokio_postgres::Row) -> SpendRow {
    let day: NaiveDate = r.get(0);
    SpendRow {
        day,
        in_progress: range.in_progress(day),
        denom: r.get(1),
        provider: r.get(2),
        owner: r.get(3),
        gpu_model: r.get(4),
        depositor: r.get(5),
        spend: trim_decimal(&r.get::<_, Option<String>>(6).unwrap_or_else(|| "0".into())),
        spend_usd: r.get::<_, Option<String>>(7).map(|s| trim_decimal(&s)),
        usd_estimated: r.get::<_, Option<bool>>(8).unwrap_or(false),
    }
}
