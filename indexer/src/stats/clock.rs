//! "Now" and day ranges. Now is the latest indexed block, not the wall clock (DESIGN §7 "Time"):
//! a replica that lags, or a database restored from a backup, answers as of its own data.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use deadpool_postgres::Pool;

use super::{query, Current};
use crate::api::ApiError;

/// Most days one daily answer may span (ten years).
pub const MAX_DAYS: i64 = 3_660;

/// Days a daily answer spans when `from` is not given.
pub const DEFAULT_DAYS: i64 = 30;

/// The latest indexed block: the reference of every "now", "24 h ago" and "day in progress".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Now {
    /// Its height.
    pub height: i64,
    /// Its time: "now".
    pub time: DateTime<Utc>,
}

impl Now {
    /// The UTC day of the latest indexed block: the day in progress.
    pub fn day(&self) -> NaiveDate {
        self.time.date_naive()
    }

    /// Reads `sync_cursor`; `Unavailable` while no block has been indexed.
    pub async fn read(pool: &Pool) -> Result<Now, ApiError> {
        let rows = query(
            pool,
            "SELECT block_height, block_time FROM sync_cursor WHERE block_time IS NOT NULL",
            &[],
        )
        .await?;
        let row = rows
            .first()
            .ok_or_else(|| ApiError::Unavailable("no block has been indexed yet".into()))?;
        Ok(Now {
            height: row.get(0),
            time: row.get(1),
        })
    }

    /// The last indexed block at or before `hours` hours before now (0 when there is none: the
    /// window then starts at the first block).
    pub async fn height_hours_ago(&self, pool: &Pool, hours: i64) -> Result<i64, ApiError> {
        height_at(pool, self.time - Duration::hours(hours)).await
    }
}

/// The last indexed block whose time is at or before `time` (0 when there is none).
pub async fn height_at(pool: &Pool, time: DateTime<Utc>) -> Result<i64, ApiError> {
    let rows = query(
        pool,
        "SELECT coalesce(max(block_height), 0) FROM block WHERE block_time <= $1",
        &[&time],
    )
    .await?;
    Ok(rows.first().map(|r| r.get(0)).unwrap_or(0))
}

/// The first UTC day with an indexed block (`None` before the first).
pub async fn first_day(pool: &Pool) -> Result<Option<NaiveDate>, ApiError> {
    let rows = query(pool, "SELECT min(day) FROM daily_network", &[]).await?;
    Ok(rows.first().and_then(|r| r.get(0)))
}

/// An inclusive range of UTC days, validated: `from <= to`, at most [`MAX_DAYS`] long, and not
/// past the day in progress.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DayRange {
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// The day in progress (the latest indexed block's day).
    pub today: NaiveDate,
}

impl DayRange {
    /// The range from optional `YYYY-MM-DD` strings: `to` defaults to (and is capped at) the day
    /// in progress, or the day before it with [`Current::Exclude`]; `from` defaults to
    /// [`DEFAULT_DAYS`] days before `to`.
    pub fn parse(
        now: &Now,
        from: Option<&str>,
        to: Option<&str>,
        current: Current,
    ) -> Result<DayRange, ApiError> {
        let today = now.day();
        let last = match current {
            Current::Include => today,
            Current::Exclude => today - Duration::days(1),
        };
        let to_given = to.map(|s| parse_day("to", s)).transpose()?;
        let from_given = from.map(|s| parse_day("from", s)).transpose()?;
        if let (Some(f), Some(t)) = (from_given, to_given) {
            if f > t {
                return Err(ApiError::bad_input(
                    "INVALID_RANGE",
                    format!("from ({f}) is after to ({t})"),
                ));
            }
        }
        let to = to_given.map_or(last, |t| t.min(last));
        let from = from_given.unwrap_or(to - Duration::days(DEFAULT_DAYS - 1));
        if (to - from).num_days() + 1 > MAX_DAYS {
            return Err(ApiError::bad_input(
                "RANGE_TOO_LONG",
                format!("at most {MAX_DAYS} days per request; split the range"),
            ));
        }
        Ok(DayRange { from, to, today })
    }

    /// Whether `day` is the day in progress.
    pub fn in_progress(&self, day: NaiveDate) -> bool {
        day == self.today
    }

    /// Whether the range holds no day (e.g. only the excluded day in progress was asked for).
    pub fn is_empty(&self) -> bool {
        self.from > self.to
    }
}

/// A `YYYY-MM-DD` day, or `INVALID_DATE` naming the argument.
pub fn parse_day(arg: &str, s: &str) -> Result<NaiveDate, ApiError> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
        ApiError::bad_input(
            "INVALID_DATE",
            format!("{arg}: {s:?} is not a date (YYYY-MM-DD)"),
        )
    })
}

/// A time as RFC 3339 (`2026-01-01T10:00:00Z`) or a `YYYY-MM-DD` day (its midnight UTC).
pub fn parse_time(arg: &str, s: &str) -> Result<DateTime<Utc>, ApiError> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s.trim()) {
        return Ok(t.with_timezone(&Utc));
    }
    let day = parse_day(arg, s).map_err(|_| {
        ApiError::bad_input(
            "INVALID_DATE",
            format!("{arg}: {s:?} is neither an RFC 3339 time nor a date (YYYY-MM-DD)"),
        )
    })?;
    Ok(midnight(day))
}

/// Midnight UTC starting `day`.
pub fn midnight(day: NaiveDate) -> DateTime<Utc> {
    day.and_time(chrono::NaiveTime::MIN).and_utc()
}

/// `day` at midnight UTC as Console prints dates: `2026-01-01T00:00:00.000Z`.
pub fn console_date(day: NaiveDate) -> String {
    format!("{}T00:00:00.000Z", day.format("%Y-%m-%d"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now(s: &str) -> Now {
        Now {
            height: 100,
            time: DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc),
        }
    }

    #[test]
    fn ranges_default_cap_and_refuse_bad_input() {
        let n = now("2026-03-10T12:00:00Z");
        let r = DayRange::parse(&n, None, None, Current::Include).unwrap();
        assert_eq!(r.to.to_string(), "2026-03-10");
        assert_eq!((r.to - r.from).num_days() + 1, DEFAULT_DAYS);
        assert!(r.in_progress(r.to));
        let r =
            DayRange::parse(&n, Some("2026-03-01"), Some("2030-01-01"), Current::Exclude).unwrap();
        assert_eq!(r.to.to_string(), "2026-03-09");
        let e = DayRange::parse(&n, Some("2026-03-05"), Some("2026-03-01"), Current::Include);
        assert_eq!(e.unwrap_err().code(), "INVALID_RANGE");
        let e = DayRange::parse(&n, Some("2010-01-01"), None, Current::Include);
        assert_eq!(e.unwrap_err().code(), "RANGE_TOO_LONG");
        let e = DayRange::parse(&n, Some("yesterday"), None, Current::Include);
        assert_eq!(e.unwrap_err().code(), "INVALID_DATE");
        let r = DayRange::parse(&n, Some("2026-03-10"), None, Current::Exclude).unwrap();
        assert!(r.is_empty());
    }

    #[test]
    fn console_dates_are_exact_midnights() {
        let d = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        assert_eq!(console_date(d), "2026-01-01T00:00:00.000Z");
        assert_eq!(midnight(d).to_rfc3339(), "2026-01-01T00:00:00+00:00");
        assert_eq!(
            parse_time("from", "2026-01-01").unwrap(),
            parse_time("from", "2026-01-01T00:00:00Z").unwrap()
        );
        assert_eq!(
            parse_time("from", "soon").unwrap_err().code(),
            "INVALID_DATE"
        );
    }
}
