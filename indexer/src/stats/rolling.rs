//! Lease figures over a window of blocks and at one block, exact at block granularity: the
//! rolling 24 h cards (DESIGN §7 "Rolling 24 h values … now vs 24 h ago vs 48 h ago").
//!
//! A **window** is the blocks `(lo, hi]`. The rolling 24 h window at the latest indexed block
//! `H` (time `T`) is `(h(T − 24 h), H]`, where `h(t)` is the last indexed block at or before `t`:
//! exactly the blocks whose time falls in `(T − 24 h, T]`. The comparison window is
//! `(h(T − 48 h), h(T − 24 h)]`.
//!
//! Spend over a window is computed from the payments' live intervals (`payment_live_interval`
//! × `escrow_payment.rate`), not from the daily rollups, so it is exact for any window and
//! agrees with the daily figures block for block.

use deadpool_postgres::Pool;

use super::price::segments;
use super::{one_to_one_denoms, query, trim_decimal, Filter};
use crate::api::ApiError;

/// The blocks `(lo, hi]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    /// Last block before the window.
    pub lo: i64,
    /// Last block of the window.
    pub hi: i64,
}

/// Spend of one denom over a window.
#[derive(async_graphql::SimpleObject, Clone, Debug, PartialEq, Eq)]
pub struct DenomSpend {
    /// The denom.
    pub denom: String,
    /// Base units, exact decimal.
    pub spend: String,
    /// US dollars, exact decimal; absent for a denom with no USD value.
    pub spend_usd: Option<String>,
    /// A carried (stale) price or an unpriced block went into `spend_usd`.
    pub usd_estimated: bool,
}

/// Active leases and GPUs of one GPU model.
#[derive(async_graphql::SimpleObject, Clone, Debug, PartialEq, Eq)]
pub struct GpuCount {
    /// The declared model (empty for leases without GPUs).
    pub gpu_model: String,
    /// Payments live.
    pub leases: i64,
    /// GPUs they declared.
    pub gpus: i64,
}

/// Active leases and GPUs after one block.
#[derive(async_graphql::SimpleObject, Clone, Debug, Default, PartialEq, Eq)]
pub struct Active {
    /// Payments live.
    pub leases: i64,
    /// GPUs they declared.
    pub gpus: i64,
    /// The same per GPU model.
    pub by_gpu_model: Vec<GpuCount>,
}

/// `denom`, `provider`, `owner`, `gpu_model` filters on `escrow_payment p`, as parameters
/// `$first ..= $first + 3` (a NULL parameter does not filter).
fn lease_filter(first: usize) -> String {
    ["denom", "provider", "owner", "gpu_model"]
        .iter()
        .enumerate()
        .map(|(i, c)| format!("(${n}::text IS NULL OR p.{c} = ${n})", n = first + i))
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// **Spend over a window**, per denom: Σ over payments of rate × the number of the payment's
/// live blocks in `(lo, hi]` (live as in [`super::spend::daily_spend`]); USD as there: uakt at
/// the AKT/USD price in force at each block ([`super::price`]), uact and USDC 1:1, per 10^6.
pub async fn window_spend(
    pool: &Pool,
    w: Window,
    filter: &Filter,
) -> Result<Vec<DenomSpend>, ApiError> {
    if w.hi <= w.lo {
        return Ok(Vec::new());
    }
    let segs = segments(pool, w.lo, w.hi).await?;
    let first: Vec<i64> = segs.iter().map(|s| s.first).collect();
    let last: Vec<i64> = segs.iter().map(|s| s.last).collect();
    let price: Vec<Option<String>> = segs.iter().map(|s| s.price.akt_usd.clone()).collect();
    let flagged: Vec<bool> = segs
        .iter()
        .map(|s| s.price.stale || s.price.akt_usd.is_none())
        .collect();
    let lease_filter = lease_filter(3);
    let sql = format!(
        "WITH iv AS (
           SELECT p.denom, sum(p.rate) AS rate, GREATEST(i.from_height, $1) AS a,
                  LEAST(coalesce(i.to_height, $2), $2) AS b
           FROM payment_live_interval i JOIN escrow_payment p USING (owner, dseq, payment_id)
           WHERE i.from_height < $2 AND (i.to_height IS NULL OR i.to_height > $1) AND {lease_filter}
           GROUP BY 1, 3, 4),
         seg AS (SELECT * FROM unnest($7::bigint[], $8::bigint[], $9::text[], $10::bool[])
                 AS s(first, last, price, flagged)),
         usd AS (
           SELECT sum(iv.rate * s.price::numeric
                      * (LEAST(iv.b, s.last) - GREATEST(iv.a + 1, s.first) + 1)) AS usd,
                  bool_or(s.flagged) AS est
           FROM iv JOIN seg s ON s.first <= iv.b AND s.last > iv.a
           WHERE iv.denom = $11)
         SELECT iv.denom, trim_scale(sum(iv.rate * (iv.b - iv.a)))::text,
                CASE WHEN iv.denom = ANY($12) THEN trim_scale(sum(iv.rate * (iv.b - iv.a)) * 0.000001)::text
                     WHEN iv.denom = $11 THEN (SELECT trim_scale(coalesce(usd, 0) * 0.000001)::text FROM usd)
                END,
                iv.denom = $11 AND coalesce((SELECT est FROM usd), false)
         FROM iv GROUP BY iv.denom ORDER BY iv.denom"
    );
    let akt = supercloud_chain::AKT_DENOM;
    let rows = query(
        pool,
        &sql,
        &[
            &w.lo,
            &w.hi,
            &filter.denom,
            &filter.provider,
            &filter.owner,
            &filter.gpu_model,
            &first,
            &last,
            &price,
            &flagged,
            &akt,
            &one_to_one_denoms(),
        ],
    )
    .await?;
    Ok(rows
        .iter()
        .map(|r| DenomSpend {
            denom: r.get(0),
            spend: trim_decimal(&r.get::<_, Option<String>>(1).unwrap_or_else(|| "0".into())),
            spend_usd: r.get::<_, Option<String>>(2).map(|s| trim_decimal(&s)),
            usd_estimated: r.get::<_, Option<bool>>(3).unwrap_or(false),
        })
        .collect())
}

/// **Leases opened** in a window: payments whose opening block is in `(lo, hi]` (read from
/// `payment_opened`, whose height index makes it proportional to the window).
pub async fn leases_opened(pool: &Pool, w: Window, filter: &Filter) -> Result<i64, ApiError> {
    let sql = format!(
        "SELECT count(*) FROM escrow_payment_opened p
         WHERE p.block_height > $1 AND p.block_height <= $2 AND {}",
        lease_filter(3)
    );
    let rows = query(
        pool,
        &sql,
        &[
            &w.lo,
            &w.hi,
            &filter.denom,
            &filter.provider,
            &filter.owner,
            &filter.gpu_model,
        ],
    )
    .await?;
    Ok(rows.first().map(|r| r.get(0)).unwrap_or(0))
}

/// **Active leases / active GPUs** after block `height`: the payments live after it (opened at
/// or before it, and neither closed nor exhausted at or before it, or reopened since), counted,
/// and their declared GPU counts summed, per GPU model.
pub async fn active_at(pool: &Pool, height: i64, filter: &Filter) -> Result<Active, ApiError> {
    let sql = format!(
        "SELECT p.gpu_model, count(*), coalesce(sum(p.gpu_count), 0)::bigint
         FROM payment_live_interval i JOIN escrow_payment p USING (owner, dseq, payment_id)
         WHERE i.from_height <= $1 AND (i.to_height IS NULL OR i.to_height > $1) AND {}
         GROUP BY p.gpu_model ORDER BY p.gpu_model",
        lease_filter(2)
    );
    let rows = query(
        pool,
        &sql,
        &[
            &height,
            &filter.denom,
            &filter.provider,
            &filter.owner,
            &filter.gpu_model,
        ],
    )
    .await?;
    let by_gpu_model: Vec<GpuCount> = rows
        .iter()
        .map(|r| GpuCount {
            gpu_model: r.get(0),
            leases: r.get(1),
            gpus: r.get(2),
        })
        .collect();
    Ok(Active {
        leases: by_gpu_model.iter().map(|g| g.leases).sum(),
        gpus: by_gpu_model.iter().map(|g| g.gpus).sum(),
        by_gpu_model,
    })
}
