//! Filter arguments shared by the connections: ranges are checked (`from` ≤ `to`) before they
//! become SQL.

use chrono::{DateTime, Utc};

use crate::api::sql::{Param, Where};
use crate::api::ApiError;

/// `column` between `from` and `to` heights (inclusive); `INVALID_RANGE` when reversed.
pub fn heights(
    w: &mut Where,
    column: &str,
    from: Option<i64>,
    to: Option<i64>,
) -> Result<(), ApiError> {
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            return Err(ApiError::bad_input(
                "INVALID_RANGE",
                format!("fromHeight {f} is after toHeight {t}"),
            ));
        }
    }
    w.range(column, from.map(Param::Big), to.map(Param::Big));
    Ok(())
}

/// `column` between times `from` and `to` (inclusive); `INVALID_RANGE` when reversed.
pub fn times(
    w: &mut Where,
    column: &str,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
) -> Result<(), ApiError> {
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            return Err(ApiError::bad_input(
                "INVALID_RANGE",
                format!("from {} is after to {}", f.to_rfc3339(), t.to_rfc3339()),
            ));
        }
    }
    w.range(column, from.map(Param::Time), to.map(Param::Time));
    Ok(())
}

/// `column = value` for a text filter that is given.
pub fn text(w: &mut Where, column: &str, value: Option<String>) {
    w.eq(column, value.map(Param::Text));
}
