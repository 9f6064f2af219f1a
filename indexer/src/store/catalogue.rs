//! Event tables generated from the catalogue's field metadata: one table per event type, named
//! `<contract>_<action>`, with the event's position columns and one column per field named as the
//! attribute (one name per concept, from contract to SQL to GraphQL).

use postgres_types::Type;
use supercloud_events::{all_events, EventMeta, FieldKind, SupercloudEvent};

use super::numeric::Numeric;
use super::value::SqlValue;
use crate::decode::EventPos;

/// Columns every event table starts with.
pub const POSITION_COLUMNS: [(&str, &str, Type); 7] = [
    ("block_height", "BIGINT NOT NULL", Type::INT8),
    ("phase", "SMALLINT NOT NULL", Type::INT2),
    ("tx_index", "INTEGER NOT NULL", Type::INT4),
    ("event_index", "INTEGER NOT NULL", Type::INT4),
    ("msg_index", "INTEGER", Type::INT4),
    ("contract_address", "TEXT NOT NULL", Type::TEXT),
    ("block_time", "TIMESTAMPTZ NOT NULL", Type::TIMESTAMPTZ),
];

/// The table of an event type.
pub fn table_name(meta: &EventMeta) -> String {
    format!("{}_{}", meta.contract, meta.action)
}

fn sql_type(kind: FieldKind) -> (&'static str, Type) {
    match kind {
        FieldKind::Address | FieldKind::Text | FieldKind::Enum(_) => ("TEXT", Type::TEXT),
        FieldKind::U8 => ("SMALLINT", Type::INT2),
        FieldKind::I32 => ("INTEGER", Type::INT4),
        FieldKind::U32 | FieldKind::U64 | FieldKind::I64 => ("BIGINT", Type::INT8),
        FieldKind::Bool => ("BOOLEAN", Type::BOOL),
        FieldKind::Uint128 | FieldKind::Uint256 => ("NUMERIC(78, 0)", Type::NUMERIC),
        FieldKind::Decimal | FieldKind::Decimal256 => ("NUMERIC", Type::NUMERIC),
    }
}

/// `CREATE TABLE IF NOT EXISTS` of every event table, partitioned by height like `raw_event`, and
/// an index by account (`owner`, `dseq`) on those that name one (reconciliation reads by it).
pub fn create_statements() -> Vec<String> {
    let indexes = all_events().filter_map(|meta| {
        let has = |name: &str| meta.fields.iter().any(|f| f.name == name);
        (has("owner") && has("dseq")).then(|| {
            let table = table_name(meta);
            format!(
                "CREATE INDEX IF NOT EXISTS \"{table}_account_idx\" ON \"{table}\" (owner, dseq)"
            )
        })
    });
    let tables: Vec<String> = all_events()
        .map(|meta| {
            let mut cols: Vec<String> = POSITION_COLUMNS
                .iter()
                .map(|(n, t, _)| format!("{n} {t}"))
                .collect();
            for f in meta.fields {
                let (ty, _) = sql_type(f.kind);
                let null = if f.optional { "" } else { " NOT NULL" };
                cols.push(format!("\"{}\" {ty}{null}", f.name));
            }
            cols.push("PRIMARY KEY (block_height, phase, tx_index, event_index)".into());
            format!(
                "CREATE TABLE IF NOT EXISTS \"{}\" ({}) PARTITION BY RANGE (block_height)",
                table_name(meta),
                cols.join(", ")
            )
        })
        .collect();
    tables.into_iter().chain(indexes).collect()
}

/// Column names and types of an event table, in order.
pub fn columns(meta: &EventMeta) -> (Vec<String>, Vec<Type>) {
    let mut names: Vec<String> = POSITION_COLUMNS
        .iter()
        .map(|(n, _, _)| n.to_string())
        .collect();
    let mut types: Vec<Type> = POSITION_COLUMNS.iter().map(|(_, _, t)| t.clone()).collect();
    for f in meta.fields {
        names.push(format!("\"{}\"", f.name));
        types.push(sql_type(f.kind).1);
    }
    (names, types)
}

/// Why an event that the catalogue read cannot be stored.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("field {field}: {reason}")]
pub struct Unstorable {
    pub field: String,
    pub reason: String,
}

/// The row of an event in its table.
pub fn row(
    pos: EventPos,
    msg_index: Option<u32>,
    contract: &str,
    time: chrono::DateTime<chrono::Utc>,
    event: &SupercloudEvent,
) -> Result<Vec<SqlValue>, Unstorable> {
    let meta = event.meta();
    let attrs = event.attributes();
    let int = |v: u64| i64::try_from(v).map(SqlValue::Big);
    let mut row = vec![
        int(pos.height).map_err(|e| unstorable("block_height", e))?,
        SqlValue::Small(pos.phase.code()),
        SqlValue::Int(i32::try_from(pos.tx_index).map_err(|e| unstorable("tx_index", e))?),
        SqlValue::Int(i32::try_from(pos.event_index).map_err(|e| unstorable("event_index", e))?),
        match msg_index {
            Some(i) => SqlValue::Int(i32::try_from(i).map_err(|e| unstorable("msg_index", e))?),
            None => SqlValue::Null,
        },
        SqlValue::Text(contract.to_string()),
        SqlValue::Time(time),
    ];
    for f in meta.fields {
        let Some((_, value)) = attrs.iter().find(|(k, _)| *k == f.name) else {
            row.push(SqlValue::Null);
            continue;
        };
        row.push(value_of(f.kind, value).map_err(|reason| Unstorable {
            field: f.name.to_string(),
            reason,
        })?);
    }
    Ok(row)
}

fn unstorable(field: &str, e: impl std::fmt::Display) -> Unstorable {
    Unstorable {
        field: field.to_string(),
        reason: e.to_string(),
    }
}

/// A catalogue-encoded attribute value as the column's SQL value.
fn value_of(kind: FieldKind, value: &str) -> Result<SqlValue, String> {
    let e = |err: &dyn std::fmt::Display| format!("{value:?} does not fit the column: {err}");
    Ok(match kind {
        FieldKind::Address | FieldKind::Text | FieldKind::Enum(_) => SqlValue::Text(value.into()),
        FieldKind::U8 => SqlValue::Small(value.parse().map_err(|x| e(&x))?),
        FieldKind::I32 => SqlValue::Int(value.parse().map_err(|x| e(&x))?),
        FieldKind::U32 | FieldKind::U64 | FieldKind::I64 => {
            SqlValue::Big(value.parse().map_err(|x| e(&x))?)
        }
        FieldKind::Bool => SqlValue::Bool(value.parse().map_err(|x| e(&x))?),
        FieldKind::Uint128 | FieldKind::Uint256 | FieldKind::Decimal | FieldKind::Decimal256 => {
            SqlValue::Numeric(Numeric::parse(value).map_err(|x| e(&x))?)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_field_shadows_a_position_column_and_every_table_is_distinct() {
        let mut tables = std::collections::HashSet::new();
        for meta in all_events() {
            assert!(tables.insert(table_name(meta)));
            for f in meta.fields {
                assert!(
                    !POSITION_COLUMNS.iter().any(|(n, _, _)| *n == f.name),
                    "{}.{} shadows a position column",
                    meta.action,
                    f.name
                );
            }
        }
        let statements = create_statements();
        let creates = statements
            .iter()
            .filter(|s| s.starts_with("CREATE TABLE"))
            .count();
        assert_eq!(creates, tables.len());
        assert!(statements
            .iter()
            .any(|s| s.contains("\"escrow_payment_settled_account_idx\"")));
    }

    #[test]
    fn values_that_do_not_fit_are_refused() {
        assert!(value_of(FieldKind::U64, &u64::MAX.to_string()).is_err());
        assert_eq!(value_of(FieldKind::U64, "7"), Ok(SqlValue::Big(7)));
        assert!(matches!(
            value_of(FieldKind::Uint256, "12"),
            Ok(SqlValue::Numeric(_))
        ));
    }
}
