//! REST routes compatible with Akash Console, for existing consumers (DefiLlama's fee adapter,
//! stats-web). Shapes follow Console's API (`akash-network/console`,
//! `apps/api/src/dashboard/services/stats/stats.service.ts`, `stats.types.ts` and the
//! `http-schemas/{dashboard-data,graph-data,bme-dashboard-data}` zod schemas):
//!
//! - `GET /v1/dashboard-data` → `{chainStats:{height, transactionCount}, now:{…}, compare:{…}}`
//!   where `now` / `compare` carry Console's period fields (`date`, `height`,
//!   `activeLeaseCount`, `totalLeaseCount`, `dailyLeaseCount`, `total|dailyU{Akt,Act,Usdc,Usd}Spent`,
//!   `activeGPU`); `daily…` are the rolling 24 h windows of [`crate::stats::rolling`].
//! - `GET /v1/graph-data/{name}` → `{currentValue, compareValue, snapshots:[{date, value}]}`,
//!   one snapshot per UTC day from the first indexed day, `date` at exact midnight UTC
//!   (`2026-01-01T00:00:00.000Z`), the day in progress last; unknown name → 404.
//! - `GET /v1/bme/dashboard-data` → `{now:{…}, compare:{…}}` with Console's BME period fields.
//!
//! Differences, on purpose: Console folds USDC into ACT (`dailyUActSpent` = `dailyUUsdcSpent`);
//! here both denoms are live, so each name reports its own denom. Console's resource names this
//! chain does not record (`activeCPU`, `activeMemory`, `activeStorage`, `gpuUtilization`, the
//! `…AktReminted` / `…NetAktBurned` family) answer 404. Values are JSON numbers as in Console
//! (exact below 2^53 base units); GraphQL and CSV give exact decimal strings.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{json, Map, Value};
use supercloud_chain::{ACT_DENOM, AKT_DENOM, USDC_DENOM};

use super::{ApiError, ApiState};
use crate::stats::clock::{console_date, first_day};
use crate::stats::dashboard::{total_leases, total_spend, usd_total, Snapshot};
use crate::stats::decimal::to_f64;
use crate::stats::series::{series, Interval, Metric, SeriesArgs, SeriesPoint};
use crate::stats::{Current, Filter, Grouping};

/// `/v1/...` routes.
pub fn router() -> Router<ApiState> {
    Router::new()
        .route("/v1/dashboard-data", get(dashboard_data))
        .route("/v1/graph-data/{name}", get(graph_data))
        .route("/v1/bme/dashboard-data", get(bme_dashboard_data))
}

/// How a Console graph name is answered: the daily metric, its denom, a scale, whether the
/// snapshots are running totals, and the period field of its current / compare values.
struct Graph {
    metric: Metric,
    denom: Option<&'static str>,
    scale: f64,
    cumulative: bool,
    bme: bool,
}

fn graph(name: &str) -> Option<Graph> {
    let g = |metric, denom, scale, cumulative, bme| Graph {
        metric,
        denom,
        scale,
        cumulative,
        bme,
    };
    Some(match name {
        "dailyUAktSpent" => g(Metric::Spend, Some(AKT_DENOM), 1.0, false, false),
        "dailyUActSpent" => g(Metric::Spend, Some(ACT_DENOM), 1.0, false, false),
        "dailyUUsdcSpent" => g(Metric::Spend, Some(USDC_DENOM), 1.0, false, false),
        "dailyUUsdSpent" => g(Metric::SpendUsd, None, 1e6, false, false),
        "totalUAktSpent" => g(Metric::Spend, Some(AKT_DENOM), 1.0, true, false),
        "totalUActSpent" => g(Metric::Spend, Some(ACT_DENOM), 1.0, true, false),
        "totalUUsdcSpent" => g(Metric::Spend, Some(USDC_DENOM), 1.0, true, false),
        "totalUUsdSpent" => g(Metric::SpendUsd, None, 1e6, true, false),
        "dailyLeaseCount" => g(Metric::LeasesOpened, None, 1.0, false, false),
        "totalLeaseCount" => g(Metric::LeasesOpened, None, 1.0, true, false),
        "activeLeaseCount" => g(Metric::ActiveLeases, None, 1.0, false, false),
        "activeGPU" => g(Metric::ActiveGpus, None, 1.0, false, false),
        "dailyActMinted" => g(Metric::ActMinted, None, 1.0, false, true),
        "totalActMinted" => g(Metric::ActMinted, None, 1.0, true, true),
        "dailyActBurnedForAkt" => g(Metric::ActBurned, None, 1.0, false, true),
        "totalActBurnedForAkt" => g(Metric::ActBurned, None, 1.0, true, true),
        "dailyAktBurnedForAct" => g(Metric::AktVaulted, None, 1.0, false, true),
        "totalAktBurnedForAct" => g(Metric::AktVaulted, None, 1.0, true, true),
        "outstandingAct" => g(Metric::ActSupply, None, 1.0, false, true),
        "vaultAkt" => g(Metric::VaultAkt, None, 1.0, false, true),
        "collateralRatio" => g(Metric::CollateralRatio, None, 1e-4, false, true),
        _ => return None,
    })
}

async fn graph_data(
    State(state): State<ApiState>,
    Path(name): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let g = graph(&name)
        .ok_or_else(|| ApiError::NotFound(format!("unknown graph data name {name:?}")))?;
    let periods = if g.bme {
        bme_periods(&state).await?
    } else {
        lease_periods(&state).await?.1
    };
    let field = |p: &Map<String, Value>| p.get(&name).cloned().unwrap_or(json!(0));
    let snapshots = daily_snapshots(&state, &g).await?;
    Ok(Json(json!({
        "currentValue": field(&periods[0]),
        "compareValue": field(&periods[1]),
        "snapshots": snapshots,
    })))
}

/// One `{date, value}` per day from the first indexed day through the day in progress.
async fn daily_snapshots(state: &ApiState, g: &Graph) -> Result<Vec<Value>, ApiError> {
    let pool = &state.read;
    let Some(first) = first_day(pool).await? else {
        return Ok(Vec::new());
    };
    let from = first.to_string();
    let filter = Filter {
        denom: g.denom.map(str::to_string),
        ..Filter::default()
    };
    let args = SeriesArgs {
        from: Some(&from),
        to: None,
        current: Current::Include,
    };
    let points = series(
        pool,
        g.metric,
        Interval::Day,
        args,
        &Grouping::default(),
        &filter,
    )
    .await?;
    let now = crate::stats::Now::read(pool).await?;
    let mut by_day: std::collections::HashMap<chrono::NaiveDate, f64> = Default::default();
    for SeriesPoint { time, value, .. } in &points {
        *by_day.entry(time.date_naive()).or_default() += to_f64(value) * g.scale;
    }
    let mut out = Vec::new();
    let (mut day, mut total, mut seen) = (first, 0.0, false);
    while day <= now.day() {
        let v = by_day.get(&day).copied().unwrap_or(0.0);
        total += v;
        let value = if g.cumulative { total } else { v };
        // Console leaves out the days before the first GPU was leased.
        seen |= value != 0.0 || g.metric != Metric::ActiveGpus;
        if seen {
            out.push(json!({"date": console_date(day), "value": value}));
        }
        day = day.succ_opt().unwrap_or(day);
        if day == chrono::NaiveDate::MAX {
            break;
        }
    }
    Ok(out)
}

fn spend_of(s: &[crate::stats::rolling::DenomSpend], denom: &str) -> f64 {
    s.iter()
        .find(|d| d.denom == denom)
        .map_or(0.0, |d| to_f64(&d.spend))
}

/// Console's `now` and `compare` periods of the lease figures.
async fn lease_periods(
    state: &ApiState,
) -> Result<(Arc<Snapshot>, [Map<String, Value>; 2]), ApiError> {
    let pool = &state.read;
    let s = state.snapshots.get(pool, &Filter::default()).await?;
    let (totals, leases_now, leases_then) = futures::try_join!(
        total_spend(pool),
        total_leases(pool, s.now.height),
        total_leases(pool, s.h24)
    )?;
    let total_usd = 1e6 * to_f64(&usd_total(&totals).0);
    let mut periods = [Map::new(), Map::new()];
    for (i, p) in periods.iter_mut().enumerate() {
        let (height, date) = if i == 0 {
            (
                s.now.height,
                s.now
                    .time
                    .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            )
        } else {
            (s.h24, String::new())
        };
        p.insert("date".into(), json!(date));
        p.insert("height".into(), json!(height));
        p.insert("activeLeaseCount".into(), json!(s.active[i].leases));
        p.insert(
            "totalLeaseCount".into(),
            json!(if i == 0 { leases_now } else { leases_then }),
        );
        p.insert("dailyLeaseCount".into(), json!(s.opened[i]));
        p.insert("activeGPU".into(), json!(s.active[i].gpus));
        for (name, denom) in [
            ("UAkt", AKT_DENOM),
            ("UAct", ACT_DENOM),
            ("UUsdc", USDC_DENOM),
        ] {
            let total = spend_of(&totals, denom)
                - if i == 0 {
                    0.0
                } else {
                    spend_of(&s.spend[0], denom)
                };
            p.insert(
                format!("daily{name}Spent"),
                json!(spend_of(&s.spend[i], denom)),
            );
            p.insert(format!("total{name}Spent"), json!(total));
        }
        let daily_usd = 1e6 * to_f64(&usd_total(&s.spend[i]).0);
        let now_usd = 1e6 * to_f64(&usd_total(&s.spend[0]).0);
        p.insert("dailyUUsdSpent".into(), json!(daily_usd));
        p.insert(
            "totalUUsdSpent".into(),
            json!(if i == 0 {
                total_usd
            } else {
                total_usd - now_usd
            }),
        );
    }
    if let Some(t) = block_time(pool, s.h24).await? {
        periods[1].insert("date".into(), json!(t));
    }
    Ok((s, periods))
}

async fn block_time(
    pool: &deadpool_postgres::Pool,
    height: i64,
) -> Result<Option<String>, ApiError> {
    let client = pool.get().await?;
    let row = client
        .query_opt(
            "SELECT block_time FROM block WHERE block_height = $1",
            &[&height],
        )
        .await?;
    Ok(row.map(|r| {
        r.get::<_, chrono::DateTime<chrono::Utc>>(0)
            .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
    }))
}

async fn dashboard_data(State(state): State<ApiState>) -> Result<Json<Value>, ApiError> {
    let pool = &state.read;
    let (s, [now, compare]) = lease_periods(&state).await?;
    let client = pool.get().await?;
    // A row per day, kept with the blocks (a sum over `block` grew with the chain).
    let txs: i64 = client
        .query_one(
            "SELECT coalesce(sum(tx_count), 0)::bigint FROM daily_block",
            &[],
        )
        .await?
        .get(0);
    Ok(Json(json!({
        "chainStats": {"height": s.now.height, "transactionCount": txs},
        "now": now,
        "compare": compare,
    })))
}

/// Console's BME `now` and `compare` periods.
async fn bme_periods(state: &ApiState) -> Result<[Map<String, Value>; 2], ApiError> {
    let pool = &state.read;
    // Totals since genesis come with the snapshot: computed once per block, not per request.
    let s = state.snapshots.get(pool, &Filter::default()).await?;
    let mut periods = [Map::new(), Map::new()];
    for (i, p) in periods.iter_mut().enumerate() {
        let l = &s.levels[i];
        let f = &s.flows[i];
        let t = &s.totals[i];
        let num = |v: &Option<String>| v.as_deref().map_or(0.0, to_f64);
        p.insert("outstandingAct".into(), json!(num(&l.act_supply)));
        p.insert("vaultAkt".into(), json!(num(&l.vault_akt)));
        p.insert(
            "collateralRatio".into(),
            json!(l.cr_bps.map_or(0.0, |c| c as f64 / 1e4)),
        );
        p.insert("dailyActMinted".into(), json!(to_f64(&f.act_minted)));
        p.insert("totalActMinted".into(), json!(to_f64(&t.act_minted)));
        p.insert("dailyActBurnedForAkt".into(), json!(to_f64(&f.act_burned)));
        p.insert("totalActBurnedForAkt".into(), json!(to_f64(&t.act_burned)));
        p.insert("dailyAktBurnedForAct".into(), json!(to_f64(&f.akt_vaulted)));
        p.insert("totalAktBurnedForAct".into(), json!(to_f64(&t.akt_vaulted)));
    }
    let d0 = s
        .now
        .time
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    periods[0].insert("date".into(), json!(d0));
    let d1 = block_time(pool, s.h24).await?.unwrap_or_default();
    periods[1].insert("date".into(), json!(d1));
    Ok(periods)
}

async fn bme_dashboard_data(State(state): State<ApiState>) -> Result<Json<Value>, ApiError> {
    let [now, compare] = bme_periods(&state).await?;
    Ok(Json(json!({"now": now, "compare": compare})))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn console_names_map_and_unknown_ones_do_not() {
        for name in [
            "dailyUAktSpent",
            "dailyUActSpent",
            "dailyUUsdcSpent",
            "dailyUUsdSpent",
            "totalUAktSpent",
            "totalUActSpent",
            "totalUUsdcSpent",
            "totalUUsdSpent",
            "dailyLeaseCount",
            "activeLeaseCount",
            "totalLeaseCount",
            "activeGPU",
            "outstandingAct",
            "vaultAkt",
            "collateralRatio",
        ] {
            assert!(graph(name).is_some(), "{name}");
        }
        assert!(graph("totalUUsdSpent").is_some_and(|g| g.cumulative && g.scale == 1e6));
        assert!(graph("activeCPU").is_none());
        assert!(graph("").is_none());
    }
}
