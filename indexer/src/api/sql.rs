//! The read side's SQL plumbing: a pool with a per-statement time limit, typed parameters that
//! can be kept and reused (a connection's page query and its lazy count share them), and a
//! `WHERE` builder.

use std::str::FromStr;
use std::time::Duration;

use bytes::BytesMut;
use chrono::{DateTime, Utc};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use postgres_types::{IsNull, ToSql, Type};

/// A read pool over `url` whose statements are cancelled after `statement_timeout` (Postgres
/// `statement_timeout`, so a runaway query stops in the server, not only in this process).
pub fn read_pool(
    url: &str,
    size: usize,
    statement_timeout: Duration,
) -> Result<Pool, anyhow::Error> {
    let mut config = tokio_postgres::Config::from_str(url)?;
    let ms = statement_timeout.as_millis().max(1);
    config.options(format!(
        "-c statement_timeout={ms} -c default_transaction_read_only=on"
    ));
    config.application_name("indexer-serve");
    let manager = Manager::from_config(
        config,
        tokio_postgres::NoTls,
        ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        },
    );
    Ok(Pool::builder(manager).max_size(size.max(1)).build()?)
}

/// A pool over the primary `url` for the API's only writes (alerts), with the same statement
/// time limit as reads.
pub fn write_pool(
    url: &str,
    size: usize,
    statement_timeout: Duration,
) -> Result<Pool, anyhow::Error> {
    let mut config = tokio_postgres::Config::from_str(url)?;
    let ms = statement_timeout.as_millis().max(1);
    config.options(format!("-c statement_timeout={ms}"));
    config.application_name("indexer-serve-alerts");
    let manager = Manager::from_config(
        config,
        tokio_postgres::NoTls,
        ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        },
    );
    Ok(Pool::builder(manager).max_size(size.max(1)).build()?)
}

/// A statement parameter that owns its value.
#[derive(Clone, Debug, PartialEq)]
pub enum Param {
    /// `TEXT`.
    Text(String),
    /// `BIGINT`.
    Big(i64),
    /// `INTEGER`.
    Int(i32),
    /// `SMALLINT`.
    Small(i16),
    /// `TIMESTAMPTZ`.
    Time(DateTime<Utc>),
}

impl ToSql for Param {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            Param::Text(v) => v.to_sql(ty, out),
            Param::Big(v) => v.to_sql(ty, out),
            Param::Int(v) => v.to_sql(ty, out),
            Param::Small(v) => v.to_sql(ty, out),
            Param::Time(v) => v.to_sql(ty, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        // The variant decides; `to_sql_checked` below checks it against the column's type.
        true
    }

    fn to_sql_checked(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn std::error::Error + Sync + Send>> {
        match self {
            Param::Text(v) => v.to_sql_checked(ty, out),
            Param::Big(v) => v.to_sql_checked(ty, out),
            Param::Int(v) => v.to_sql_checked(ty, out),
            Param::Small(v) => v.to_sql_checked(ty, out),
            Param::Time(v) => v.to_sql_checked(ty, out),
        }
    }
}

/// Conditions joined by `AND`, with their parameters numbered in order.
#[derive(Clone, Debug, Default)]
pub struct Where {
    clauses: Vec<String>,
    /// The parameters, `$1` first.
    pub params: Vec<Param>,
}

impl Where {
    /// `clause` with `$?` standing for each of `params` in turn.
    pub fn push(&mut self, clause: &str, params: Vec<Param>) {
        let mut out = String::new();
        for (i, part) in clause.split("$?").enumerate() {
            if i > 0 {
                out.push_str(&format!("${}", self.params.len() + i));
            }
            out.push_str(part);
        }
        self.params.extend(params);
        self.clauses.push(out);
    }

    /// `column = value` when a value is given.
    pub fn eq(&mut self, column: &str, value: Option<Param>) {
        if let Some(v) = value {
            self.push(&format!("{column} = $?"), vec![v]);
        }
    }

    /// `column >= from` / `column <= to` for what is given.
    pub fn range(&mut self, column: &str, from: Option<Param>, to: Option<Param>) {
        if let Some(v) = from {
            self.push(&format!("{column} >= $?"), vec![v]);
        }
        if let Some(v) = to {
            self.push(&format!("{column} <= $?"), vec![v]);
        }
    }

    /// ` WHERE …` (or nothing).
    pub fn sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.clauses.join(" AND "))
        }
    }

    /// The parameters as the driver takes them.
    pub fn refs(&self) -> Vec<&(dyn ToSql + Sync)> {
        self.params
            .iter()
            .map(|p| p as &(dyn ToSql + Sync))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_in_order() {
        let mut w = Where::default();
        w.eq("owner", Some(Param::Text("a".into())));
        w.eq("denom", None);
        w.range("block_height", Some(Param::Big(1)), Some(Param::Big(9)));
        w.push("(a, b) > ($?, $?)", vec![Param::Big(1), Param::Int(2)]);
        assert_eq!(
            w.sql(),
            " WHERE owner = $1 AND block_height >= $2 AND block_height <= $3 AND (a, b) > ($4, $5)"
        );
        assert_eq!(w.params.len(), 5);
        assert_eq!(w.params[4], Param::Int(2));
    }
}
