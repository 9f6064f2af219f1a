//! Multi-row `INSERT … VALUES` with parameters, for row sets too small to be worth a `COPY`
//! (a `COPY` costs several round trips however few its rows). Statements on one connection are
//! pipelined by tokio-postgres, so callers may run several of these at once.

use tokio_postgres::types::ToSql;
use tokio_postgres::Transaction;

use super::value::SqlValue;
use super::StoreError;

/// Most parameters of one statement (Postgres allows 65,535).
const MAX_PARAMS: usize = 60_000;

/// Inserts `rows` into `table` (`cols` as SQL, already quoted where needed), adding
/// `ON CONFLICT …` when `on_conflict` is given.
pub(super) async fn insert(
    tx: &Transaction<'_>,
    table: &str,
    cols: &[impl AsRef<str>],
    rows: &[Vec<SqlValue>],
    on_conflict: Option<&str>,
) -> Result<(), StoreError> {
    let cols: Vec<&str> = cols.iter().map(AsRef::as_ref).collect();
    let per = (MAX_PARAMS / cols.len().max(1)).max(1);
    for chunk in rows.chunks(per) {
        let mut sql = format!("INSERT INTO \"{table}\" ({}) VALUES ", cols.join(", "));
        let mut params: Vec<&(dyn ToSql + Sync)> = Vec::with_capacity(chunk.len() * cols.len());
        for (r, row) in chunk.iter().enumerate() {
            sql.push_str(if r == 0 { "(" } else { ", (" });
            for (c, v) in row.iter().enumerate() {
                params.push(v);
                if c > 0 {
                    sql.push_str(", ");
                }
                sql.push('$');
                sql.push_str(&params.len().to_string());
            }
            sql.push(')');
        }
        if let Some(clause) = on_conflict {
            sql.push(' ');
            sql.push_str(clause);
        }
        tx.execute(sql.as_str(), &params).await?;
    }
    Ok(())
}
