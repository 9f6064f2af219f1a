//! The dashboard cards (DESIGN §7 "Rolling 24 h values for cards (now vs 24 h ago vs 48 h
//! ago)"): every flow over the rolling 24 h window ending at the latest indexed block against
//! the 24 h before it, every level at the latest block against the last block 24 h earlier.
//! Windows are defined in [`super::rolling`].

use chrono::{DateTime, Utc};
use deadpool_postgres::Pool;

use super::levels::{flows, levels_at, Flows, Levels};
use super::rolling::{active_at, leases_opened, window_spend, Active, DenomSpend, Window};
use super::{decimal, query, trim_decimal, Filter, Now};
use crate::api::ApiError;

/// A figure now and 24 h before.
#[derive(async_graphql::SimpleObject, Clone, Debug, Default, PartialEq, Eq)]
pub struct Card {
    /// Exact decimal; absent when unknown (e.g. no price yet).
    pub value: Option<String>,
    /// The same figure 24 h earlier (over the 24 h before, for flows).
    pub compare: Option<String>,
    /// A carried (stale) price or an unpriced block went into either value.
    pub estimated: bool,
}

/// Spend of one denom over the two windows.
#[derive(async_graphql::SimpleObject, Clone, Debug, PartialEq, Eq)]
pub struct SpendCard {
    pub denom: String,
    /// Base units.
    pub spend: Card,
    /// US dollars.
    pub spend_usd: Card,
}

/// The dashboard's cards.
#[derive(async_graphql::SimpleObject, Clone, Debug, PartialEq, Eq)]
pub struct Dashboard {
    /// The latest indexed block ("now").
    pub height: i64,
    pub time: DateTime<Utc>,
    /// The last block at or before now − 24 h (0 when history is shorter).
    pub compare_height: i64,
    /// The last block at or before now − 48 h.
    pub second_compare_height: i64,
    /// Spend per denom over the last 24 h vs the 24 h before.
    pub spend: Vec<SpendCard>,
    /// USD spend of all denoms over the last 24 h vs the 24 h before.
    pub spend_usd: Card,
    /// Payments opened over the last 24 h vs the 24 h before.
    pub leases_opened: Card,
    /// Payments live after the latest block vs after the block 24 h earlier.
    pub active_leases: Card,
    /// GPUs of those payments.
    pub active_gpus: Card,
    /// Active leases and GPUs per GPU model now.
    pub active_gpus_by_model: Vec<super::rolling::GpuCount>,
    /// uact credited by executed mints ([`Flows::act_minted`]).
    pub act_minted: Card,
    /// uact burned by executed burns.
    pub act_burned: Card,
    /// uakt moved into the vault by executed mints.
    pub akt_vaulted: Card,
    /// PIP payouts in USD.
    pub pip_payouts_usd: Card,
    /// GPU-hours claimed on reservations.
    pub reserved_gpu_hours: Card,
    /// ACT supply (uact) after the block.
    pub act_supply: Card,
    /// Vault AKT (uakt) after the block.
    pub vault_akt: Card,
    /// Basis points.
    pub collateral_ratio: Card,
    /// USD per AKT in force.
    pub akt_usd: Card,
}

/// Everything the cards are made of, for the REST shapes too.
#[derive(Clone, Debug)]
pub struct Snapshot {
    /// The latest indexed block.
    pub now: Now,
    pub h24: i64,
    pub h48: i64,
    /// Index 0: the last 24 h (or now); index 1: the 24 h before (or 24 h ago).
    pub spend: [Vec<DenomSpend>; 2],
    pub opened: [i64; 2],
    pub active: [Active; 2],
    pub flows: [Flows; 2],
    /// The flows since genesis: through now, and through 24 h ago.
    pub totals: [Flows; 2],
    pub levels: [Levels; 2],
}

/// Reads the figures of the cards (queries run concurrently on the pool).
pub async fn snapshot(pool: &Pool, filter: &Filter) -> Result<Snapshot, ApiError> {
    filter.check()?;
    let now = Now::read(pool).await?;
    snapshot_at(pool, now, filter).await
}

/// [`snapshot`] at the latest indexed block `now` (already read); `filter` already checked.
pub(super) async fn snapshot_at(
    pool: &Pool,
    now: Now,
    filter: &Filter,
) -> Result<Snapshot, ApiError> {
    let (h24, h48) = futures::try_join!(
        now.height_hours_ago(pool, 24),
        now.height_hours_ago(pool, 48)
    )?;
    let cur = Window {
        lo: h24,
        hi: now.height,
    };
    let prev = Window { lo: h48, hi: h24 };
    let (s0, s1, o0, o1, a0, a1) = futures::try_join!(
        window_spend(pool, cur, filter),
        window_spend(pool, prev, filter),
        leases_opened(pool, cur, filter),
        leases_opened(pool, prev, filter),
        active_at(pool, now.height, filter),
        active_at(pool, h24, filter),
    )?;
    let (f0, f1, l0, l1, t0, t1) = futures::try_join!(
        flows(pool, cur),
        flows(pool, prev),
        levels_at(pool, now.height),
        levels_at(pool, h24),
        flows(
            pool,
            Window {
                lo: 0,
                hi: now.height
            }
        ),
        flows(pool, Window { lo: 0, hi: h24 }),
    )?;
    Ok(Snapshot {
        now,
        h24,
        h48,
        spend: [s0, s1],
        opened: [o0, o1],
        active: [a0, a1],
        flows: [f0, f1],
        totals: [t0, t1],
        levels: [l0, l1],
    })
}

fn card(value: Option<String>, compare: Option<String>) -> Card {
    Card {
        value,
        compare,
        estimated: false,
    }
}

fn count(a: i64, b: i64) -> Card {
    card(Some(a.to_string()), Some(b.to_string()))
}

/// Σ USD over denoms of one window, and whether any was estimated.
pub fn usd_total(spend: &[DenomSpend]) -> (String, bool) {
    spend
        .iter()
        .fold(("0".to_string(), false), |(sum, est), s| {
            match &s.spend_usd {
                Some(u) => (decimal::add(&sum, u).unwrap_or(sum), est || s.usd_estimated),
                None => (sum, est),
            }
        })
}

/// **The dashboard cards** (see [`Dashboard`]'s fields and [`super::rolling`] for windows).
/// `filter` narrows the lease cards (spend, leases, GPUs); the network cards (bme, pip,
/// reservations, price) are chain-wide.
pub async fn dashboard(pool: &Pool, filter: &Filter) -> Result<Dashboard, ApiError> {
    Ok(dashboard_of(&snapshot(pool, filter).await?))
}

/// The cards of a snapshot.
pub fn dashboard_of(s: &Snapshot) -> Dashboard {
    let mut denoms: Vec<&str> = s.spend.iter().flatten().map(|d| d.denom.as_str()).collect();
    denoms.sort_unstable();
    denoms.dedup();
    let find = |i: usize, d: &str| s.spend[i].iter().find(|x| x.denom == d);
    let spend = denoms
        .iter()
        .map(|d| {
            let (a, b) = (find(0, d), find(1, d));
            let amount = |x: Option<&DenomSpend>| Some(x.map_or("0".into(), |x| x.spend.clone()));
            let usd = |x: Option<&DenomSpend>| x.and_then(|x| x.spend_usd.clone());
            SpendCard {
                denom: d.to_string(),
                spend: card(amount(a), amount(b)),
                spend_usd: Card {
                    estimated: a.is_some_and(|x| x.usd_estimated)
                        || b.is_some_and(|x| x.usd_estimated),
                    ..card(usd(a), usd(b))
                },
            }
        })
        .collect();
    let (u0, e0) = usd_total(&s.spend[0]);
    let (u1, e1) = usd_total(&s.spend[1]);
    let flow =
        |f: fn(&Flows) -> &String| card(Some(f(&s.flows[0]).clone()), Some(f(&s.flows[1]).clone()));
    let level = |f: fn(&Levels) -> Option<String>| card(f(&s.levels[0]), f(&s.levels[1]));
    Dashboard {
        height: s.now.height,
        time: s.now.time,
        compare_height: s.h24,
        second_compare_height: s.h48,
        spend,
        spend_usd: Card {
            estimated: e0 || e1,
            ..card(Some(u0), Some(u1))
        },
        leases_opened: count(s.opened[0], s.opened[1]),
        active_leases: count(s.active[0].leases, s.active[1].leases),
        active_gpus: count(s.active[0].gpus, s.active[1].gpus),
        active_gpus_by_model: s.active[0].by_gpu_model.clone(),
        act_minted: flow(|f| &f.act_minted),
        act_burned: flow(|f| &f.act_burned),
        akt_vaulted: flow(|f| &f.akt_vaulted),
        pip_payouts_usd: flow(|f| &f.pip_paid_usd),
        reserved_gpu_hours: flow(|f| &f.reserved_gpu_hours),
        act_supply: level(|l| l.act_supply.clone()),
        vault_akt: level(|l| l.vault_akt.clone()),
        collateral_ratio: level(|l| l.cr_bps.map(|c| c.to_string())),
        akt_usd: Card {
            estimated: s.levels[0].price_stale || s.levels[1].price_stale,
            ..level(|l| l.akt_usd.clone())
        },
    }
}

/// Spend per denom (base units and USD) of every day through the day in progress: the totals
/// at the latest indexed block, from the rollups.
pub async fn total_spend(pool: &Pool) -> Result<Vec<DenomSpend>, ApiError> {
    let rows = query(
        pool,
        "SELECT denom, trim_scale(sum(spend))::text, trim_scale(sum(spend_usd))::text,
                bool_or(usd_estimated)
         FROM daily_lease GROUP BY denom ORDER BY denom",
        &[],
    )
    .await?;
    Ok(rows
        .iter()
        .map(|r| DenomSpend {
            denom: r.get(0),
            spend: trim_decimal(&r.get::<_, String>(1)),
            spend_usd: r.get::<_, Option<String>>(2).map(|s| trim_decimal(&s)),
            usd_estimated: r.get(3),
        })
        .collect())
}

/// **Total leases** opened at or before block `height`.
pub async fn total_leases(pool: &Pool, height: i64) -> Result<i64, ApiError> {
    let rows = query(
        pool,
        "SELECT count(*) FROM escrow_payment_opened WHERE block_height <= $1",
        &[&height],
    )
    .await?;
    Ok(rows.first().map(|r| r.get(0)).unwrap_or(0))
}
