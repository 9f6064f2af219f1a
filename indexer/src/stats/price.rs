//! The AKT/USD price in force (DESIGN §7 "USD", §4.2): the oracle announces every change of a
//! pair's aggregate with `oracle.price_aggregated`; the price in force at block h is the last
//! healthy aggregate at or before h (events in chain order). While the last aggregate at or
//! before h is not healthy, the last healthy price is carried and flagged `stale`. Before the
//! first healthy aggregate there is no price.

use chrono::{DateTime, Utc};
use deadpool_postgres::Pool;
use supercloud_chain::AKT_USD_PAIR;

use super::query;
use crate::api::ApiError;

/// The price in force at a block.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct InForce {
    /// USD per whole AKT, exact decimal; `None` before the first healthy aggregate.
    pub akt_usd: Option<String>,
    /// The oracle was not healthy: `akt_usd` is carried.
    pub stale: bool,
}

impl InForce {
    /// The state after one `price_aggregated` (`price` only when it is healthy).
    fn then(&self, healthy_price: Option<String>) -> InForce {
        match healthy_price {
            Some(p) => InForce {
                akt_usd: Some(p),
                stale: false,
            },
            None => InForce {
                akt_usd: self.akt_usd.clone(),
                stale: true,
            },
        }
    }
}

/// Blocks `first..=last` with one price in force.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    /// First block of the run.
    pub first: i64,
    /// Last block of the run.
    pub last: i64,
    /// The price in force over it.
    pub price: InForce,
}

const ORDER_DESC: &str = "ORDER BY block_height DESC, phase DESC, tx_index DESC, event_index DESC";

/// The price in force at block `height`.
pub async fn in_force(pool: &Pool, height: i64) -> Result<InForce, ApiError> {
    let sql = format!(
        "SELECT (SELECT trim_scale(price)::text FROM oracle_price_aggregated
                 WHERE pair = $1 AND block_height <= $2 AND health = 'healthy' AND price IS NOT NULL
                 {ORDER_DESC} LIMIT 1),
                (SELECT health <> 'healthy' OR price IS NULL FROM oracle_price_aggregated
                 WHERE pair = $1 AND block_height <= $2 {ORDER_DESC} LIMIT 1)"
    );
    let rows = query(pool, &sql, &[&AKT_USD_PAIR, &height]).await?;
    Ok(rows
        .first()
        .map(|r| InForce {
            akt_usd: r.get(0),
            stale: r.get::<_, Option<bool>>(1).unwrap_or(false),
        })
        .unwrap_or_default())
}

/// The prices in force over blocks `lo + 1 ..= hi`, as maximal runs (empty when `hi <= lo`).
pub async fn segments(pool: &Pool, lo: i64, hi: i64) -> Result<Vec<Segment>, ApiError> {
    if hi <= lo {
        return Ok(Vec::new());
    }
    let start = in_force(pool, lo).await?;
    let rows = query(
        pool,
        "SELECT block_height,
                CASE WHEN health = 'healthy' THEN trim_scale(price)::text END
         FROM oracle_price_aggregated
         WHERE pair = $1 AND block_height > $2 AND block_height <= $3
         ORDER BY block_height, phase, tx_index, event_index",
        &[&AKT_USD_PAIR, &lo, &hi],
    )
    .await?;
    let changes = rows.iter().map(|r| (r.get::<_, i64>(0), r.get(1)));
    Ok(build_segments(lo, hi, start, changes))
}

/// Runs of one price over `lo + 1 ..= hi`, from the price in force at `lo` and the aggregates
/// after it (height, healthy price), in chain order.
pub fn build_segments(
    lo: i64,
    hi: i64,
    start: InForce,
    changes: impl Iterator<Item = (i64, Option<String>)>,
) -> Vec<Segment> {
    let mut out = Vec::new();
    let (mut first, mut cur) = (lo + 1, start);
    for (height, price) in changes {
        if height > first {
            out.push(Segment {
                first,
                last: height - 1,
                price: cur.clone(),
            });
            first = height;
        }
        cur = cur.then(price);
    }
    if first <= hi {
        out.push(Segment {
            first,
            last: hi,
            price: cur,
        });
    }
    out
}

/// The price in force at each of `heights` (ascending or not), from runs covering them.
pub fn lookup(segments: &[Segment], height: i64) -> InForce {
    let i = segments.partition_point(|s| s.last < height);
    segments
        .get(i)
        .filter(|s| s.first <= height)
        .map(|s| s.price.clone())
        .unwrap_or_default()
}

/// One hour of the hourly oracle price series.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HourPrice {
    /// The hour's start (UTC).
    pub hour: DateTime<Utc>,
    /// The last indexed block before the hour ends (0 when none).
    pub height: i64,
    /// The price in force over it.
    pub price: InForce,
}

/// **Oracle price, hourly**: for each hour in `[from, to)`, the AKT/USD price in force at the
/// last indexed block before the hour ends (hours before the first block have no price).
pub async fn hourly(
    pool: &Pool,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<HourPrice>, ApiError> {
    let rows = query(
        pool,
        "SELECT h, coalesce((SELECT block_height FROM block WHERE block_time < h + interval '1 hour'
                             ORDER BY block_time DESC, block_height DESC LIMIT 1), 0)
         FROM generate_series($1::timestamptz, $2::timestamptz - interval '1 hour', interval '1 hour') h
         ORDER BY h",
        &[&from, &to],
    )
    .await?;
    let hours: Vec<(DateTime<Utc>, i64)> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
    let lo = hours.iter().map(|h| h.1).filter(|h| *h > 0).min();
    let hi = hours.iter().map(|h| h.1).max().unwrap_or(0);
    let segs = match lo {
        Some(lo) => segments(pool, lo - 1, hi).await?,
        None => Vec::new(),
    };
    Ok(hours
        .into_iter()
        .map(|(hour, height)| HourPrice {
            hour,
            height,
            price: lookup(&segs, height),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str, stale: bool) -> InForce {
        InForce {
            akt_usd: Some(s.into()),
            stale,
        }
    }

    #[test]
    fn runs_carry_the_last_healthy_price_and_flag_it() {
        let changes = vec![
            (12, Some("2".to_string())),
            (15, None),
            (15, None),
            (18, Some("3".to_string())),
        ];
        let segs = build_segments(10, 20, InForce::default(), changes.into_iter());
        assert_eq!(segs.len(), 4);
        assert_eq!((segs[0].first, segs[0].last), (11, 11));
        assert_eq!(segs[0].price, InForce::default());
        assert_eq!((segs[1].first, segs[1].last), (12, 14));
        assert_eq!(segs[1].price, p("2", false));
        assert_eq!((segs[2].first, segs[2].last), (15, 17));
        assert_eq!(segs[2].price, p("2", true));
        assert_eq!((segs[3].first, segs[3].last), (18, 20));
        assert_eq!(lookup(&segs, 16), p("2", true));
        assert_eq!(lookup(&segs, 20), p("3", false));
        assert_eq!(lookup(&segs, 21), InForce::default());
        // A change in the window's first block replaces the starting price from that block.
        let segs = build_segments(10, 12, p("1", false), vec![(11, None)].into_iter());
        assert_eq!(segs.len(), 1);
        assert_eq!(segs[0].price, p("1", true));
    }
}
