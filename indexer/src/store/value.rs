//! One column value of a row built at run time (event tables are generated from the catalogue,
//! so their rows are too).

use std::error::Error as StdError;

use bytes::{BufMut, BytesMut};
use chrono::{DateTime, Utc};
use postgres_types::{to_sql_checked, IsNull, ToSql, Type};

use super::numeric::Numeric;

/// A value of one of the column types the store uses.
#[derive(Clone, Debug, PartialEq)]
pub enum SqlValue {
    Null,
    Text(String),
    Small(i16),
    Int(i32),
    Big(i64),
    Bool(bool),
    Numeric(Numeric),
    Time(DateTime<Utc>),
    Date(chrono::NaiveDate),
    /// Serialized JSON (for `json` or `jsonb` columns).
    Json(String),
}

impl ToSql for SqlValue {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn StdError + Sync + Send>> {
        match self {
            SqlValue::Null => Ok(IsNull::Yes),
            SqlValue::Text(v) => v.to_sql(ty, out),
            SqlValue::Small(v) => v.to_sql(ty, out),
            SqlValue::Int(v) => v.to_sql(ty, out),
            SqlValue::Big(v) => v.to_sql(ty, out),
            SqlValue::Bool(v) => v.to_sql(ty, out),
            SqlValue::Numeric(v) => v.to_sql(ty, out),
            SqlValue::Time(v) => v.to_sql(ty, out),
            SqlValue::Date(v) => v.to_sql(ty, out),
            SqlValue::Json(v) => {
                // jsonb's binary form is a version byte, then the text.
                if *ty == Type::JSONB {
                    out.put_u8(1);
                } else if *ty != Type::JSON {
                    return Err(format!("JSON text for a {ty} column").into());
                }
                out.put_slice(v.as_bytes());
                Ok(IsNull::No)
            }
        }
    }

    fn accepts(_: &Type) -> bool {
        // Checked per value by the inner types' `to_sql`.
        true
    }

    to_sql_checked!();
}
