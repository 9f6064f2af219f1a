//! `INSERT … SELECT FROM unnest(…)` with one array parameter per column, for row sets too small
//! to be worth a `COPY` (a `COPY` costs several round trips however few its rows) and for upserts
//! (`COPY` has no `ON CONFLICT`).
//!
//! The statement's text depends only on the table and its columns, never on the row count, so
//! Postgres parses and plans a few hundred bytes instead of a `VALUES` list of up to 65,535
//! parameters (that parse showed in profiles of the backfill). Statements on one connection are
//! pipelined by tokio-postgres, so callers may run several of these at once.

use postgres_types::{ToSql, Type};
use tokio_postgres::Transaction;

use super::value::SqlValue;
use super::StoreError;

/// Inserts `rows` into `table`; `names` are the columns (as SQL, already quoted where needed)
/// and `types` their types, in row order. `on_conflict` is appended when given.
pub(super) async fn insert(
    tx: &Transaction<'_>,
    table: &str,
    names: &[impl AsRef<str>],
    types: &[Type],
    rows: &[Vec<SqlValue>],
    on_conflict: Option<&str>,
) -> Result<(), StoreError> {
    if rows.is_empty() {
        return Ok(());
    }
    let sql = statement(table, names, types, on_conflict);
    // Row-major in, column-major out: one array per column.
    let mut columns: Vec<Vec<&SqlValue>> = types
        .iter()
        .map(|_| Vec::with_capacity(rows.len()))
        .collect();
    for row in rows {
        for (column, value) in columns.iter_mut().zip(row) {
            column.push(value);
        }
    }
    if let Some(short) = columns.iter().find(|c| c.len() != rows.len()) {
        return Err(StoreError::Corrupt {
            height: 0,
            reason: format!(
                "{table}: a row has {} of its {} columns",
                short.len(),
                types.len()
            ),
        });
    }
    let params: Vec<&(dyn ToSql + Sync)> =
        columns.iter().map(|c| c as &(dyn ToSql + Sync)).collect();
    tx.execute(sql.as_str(), &params).await?;
    Ok(())
}

/// `INSERT INTO "table" (a, b) SELECT * FROM unnest($1::text[], $2::int8[]) [on_conflict]`.
fn statement(
    table: &str,
    names: &[impl AsRef<str>],
    types: &[Type],
    on_conflict: Option<&str>,
) -> String {
    let names: Vec<&str> = names.iter().map(AsRef::as_ref).collect();
    let arrays: Vec<String> = types
        .iter()
        .enumerate()
        .map(|(i, ty)| format!("${}::{}[]", i + 1, ty.name()))
        .collect();
    let mut sql = format!(
        "INSERT INTO \"{table}\" ({}) SELECT * FROM unnest({})",
        names.join(", "),
        arrays.join(", ")
    );
    if let Some(clause) = on_conflict {
        sql.push(' ');
        sql.push_str(clause);
    }
    sql
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_statement_names_each_column_once_with_its_array_type() {
        assert_eq!(
            statement(
                "escrow_account",
                &["owner", "dseq"],
                &[Type::TEXT, Type::INT8],
                Some("ON CONFLICT DO NOTHING")
            ),
            "INSERT INTO \"escrow_account\" (owner, dseq) \
             SELECT * FROM unnest($1::text[], $2::int8[]) ON CONFLICT DO NOTHING"
        );
    }
}
