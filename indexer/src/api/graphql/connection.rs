//! One keyset pager for every connection: `first/after`, `last/before`, `pageInfo` and a lazy
//! `totalCount`, over a table's immutable key (its primary key), so paging while new blocks
//! arrive returns every row that existed when paging began exactly once.
//!
//! Cursors are opaque to clients: hex of `{"e": entity, "k": [key values]}`. A cursor of another
//! entity, or one that does not decode, is `INVALID_CURSOR`.

use std::borrow::Cow;

use async_graphql::connection::{Connection, Edge};
use async_graphql::parser::types::Field;
use async_graphql::registry::Registry;
use async_graphql::{
    Context, ContextSelectionSet, Enum, Object, OutputType, Positioned, ServerResult,
};
use serde_json::Value;
use tokio_postgres::Row;

use super::page_value;
use crate::api::sql::{Param, Where};
use crate::api::{ApiError, ApiState};

/// Most rows one page may ask for.
pub const MAX_PAGE: i32 = 1000;
/// Rows of a page when neither `first` nor `last` is given.
pub const DEFAULT_PAGE: i32 = 100;

/// Complexity of a connection field: its selection counted once per 100 rows asked for, so a
/// query cannot multiply 1000-row pages by aliasing them.
pub fn page_cost(first: Option<i32>, last: Option<i32>, child_complexity: usize) -> usize {
    let rows = first.or(last).unwrap_or(DEFAULT_PAGE).clamp(0, MAX_PAGE);
    let per_100 = usize::try_from(rows).unwrap_or(0).div_ceil(100).max(1);
    child_complexity.saturating_mul(per_100).saturating_add(1)
}

/// The type of one key column.
#[derive(Clone, Copy, Debug)]
pub enum KeyType {
    /// `TEXT`.
    Text,
    /// `BIGINT`.
    Big,
    /// `INTEGER`.
    Int,
    /// `SMALLINT`.
    Small,
}

/// How a table is paged: a cursor tag and its key columns in order.
#[derive(Debug)]
pub struct Keyset {
    /// Tag in the cursor, so one entity's cursor is refused by another.
    pub entity: &'static str,
    /// The table (or a parenthesised subquery with an alias).
    pub table: &'static str,
    /// The key's columns: unique and immutable together.
    pub key: &'static [(&'static str, KeyType)],
}

/// The key of every event table and of `raw_event`: the event's position in the chain.
pub const POSITION_KEY: &[(&str, KeyType)] = &[
    ("block_height", KeyType::Big),
    ("phase", KeyType::Small),
    ("tx_index", KeyType::Int),
    ("event_index", KeyType::Int),
];

/// A row type of a connection.
pub trait Node: OutputType + Sized + 'static {
    /// `(SQL expression, field name)` of each field, in order.
    const COLUMNS: &'static [(&'static str, &'static str)];
    /// The row selected with `COLUMNS` (aliased by field name).
    fn from_row(row: &Row) -> Result<Self, ApiError>;
    /// The row selected with the `COLUMNS` that `selected` marks (one flag per column), which
    /// follow each other from column index `first`; the other fields are left at their
    /// defaults (the query did not ask for them, so they are never sent). Nodes written by hand
    /// read every column by name: page them with [`Selected::All`].
    fn from_row_selected(row: &Row, _selected: &[bool], _first: usize) -> Result<Self, ApiError> {
        Self::from_row(row)
    }
    /// Each field's GraphQL value, in `COLUMNS` order, for resolving a page in one pass
    /// ([`super::page_value`]); `None` for nodes written by hand.
    const VALUES: Option<&'static [page_value::Getter<Self>]> = None;
}

/// The node fields a query selects (snake_case names, as in [`Node::COLUMNS`]); `All` when
/// unknown, e.g. for callers outside a GraphQL resolver.
#[derive(Clone, Debug)]
pub enum Selected {
    /// Every column.
    All,
    /// Only these fields.
    Only(Vec<String>),
}

impl Selected {
    /// Whether field `name` is read.
    pub fn has(&self, name: &str) -> bool {
        match self {
            Selected::All => true,
            Selected::Only(names) => names.iter().any(|n| n == name),
        }
    }

    /// The node fields of the connection field being resolved, under `edges { node { … } }`
    /// and under `nodes { … }`: reading only those columns keeps a page's SQL and row decoding
    /// to what the client asked for. GraphQL names map to columns by the registry's field order,
    /// which `node!` shares with `COLUMNS` (as [`super::page_value`] does); `All` for other nodes.
    pub fn of_connection<N: Node>(ctx: &Context<'_>) -> Selected {
        let type_name = N::type_name();
        let declared = ctx
            .schema_env
            .registry
            .types
            .get(type_name.as_ref())
            .and_then(|t| t.fields())
            .filter(|f| f.len() == N::COLUMNS.len());
        let Some(declared) = declared else {
            return Selected::All;
        };
        let look = ctx.look_ahead();
        let mut names: Vec<String> = [look.field("edges").field("node"), look.field("nodes")]
            .iter()
            .flat_map(|node| node.selection_fields())
            .flat_map(|f| {
                f.selection_set()
                    .filter_map(|s| declared.get_index_of(s.name()))
                    .filter_map(|i| N::COLUMNS.get(i))
                    .map(|(_, field)| field.to_string())
                    .collect::<Vec<_>>()
            })
            .collect();
        names.sort();
        names.dedup();
        Selected::Only(names)
    }
}

/// Order of a table paged by its key.
#[derive(Enum, Copy, Clone, Debug, Default, Eq, PartialEq)]
pub enum KeyOrder {
    /// Ascending key.
    #[default]
    KeyAsc,
    /// Descending key.
    KeyDesc,
}

/// Order of blocks and events: by chain position.
#[derive(Enum, Copy, Clone, Debug, Default, Eq, PartialEq)]
pub enum HeightOrder {
    /// Oldest first.
    #[default]
    HeightAsc,
    /// Newest first.
    HeightDesc,
}

impl From<KeyOrder> for bool {
    fn from(o: KeyOrder) -> bool {
        o == KeyOrder::KeyDesc
    }
}

impl From<HeightOrder> for bool {
    fn from(o: HeightOrder) -> bool {
        o == HeightOrder::HeightDesc
    }
}

/// The Relay arguments of a connection field.
#[derive(Clone, Debug, Default)]
pub struct PageArgs {
    /// Rows from the start (after `after`).
    pub first: Option<i32>,
    /// Cursor the page starts after.
    pub after: Option<String>,
    /// Rows from the end (before `before`).
    pub last: Option<i32>,
    /// Cursor the page ends before.
    pub before: Option<String>,
}

/// A connection of `N` with `totalCount`: async-graphql's connection type (its schema is that
/// type's), resolved in one pass where `N` allows ([`super::page_value`]).
pub struct Conn<N: Node>(page_value::Inner<N>);

impl<N: Node> OutputType for Conn<N> {
    fn type_name() -> Cow<'static, str> {
        page_value::Inner::<N>::type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        page_value::Inner::<N>::create_type_info(registry)
    }

    async fn resolve(
        &self,
        ctx: &ContextSelectionSet<'_>,
        field: &Positioned<Field>,
    ) -> ServerResult<async_graphql::Value> {
        page_value::resolve(&self.0, ctx, field).await
    }
}

/// `totalCount`: counted only when asked for, over the filter without the cursors.
pub struct TotalCount {
    sql: String,
    filter: Where,
    entity: &'static str,
}

#[Object]
impl TotalCount {
    /// Rows matching the filter, across all pages.
    async fn total_count(&self, ctx: &Context<'_>) -> async_graphql::Result<i64> {
        let state = ctx.data::<ApiState>()?;
        let client = state.read.get().await.map_err(ApiError::from)?;
        let _t = state.metrics.time_query(&format!("{}_count", self.entity));
        let row = client
            .query_one(&self.sql, &self.filter.refs())
            .await
            .map_err(ApiError::from)?;
        Ok(row.try_get::<_, i64>(0).map_err(ApiError::from)?)
    }
}

#[cfg(test)]
impl TotalCount {
    /// A count no test query selects.
    pub(crate) fn unused() -> Self {
        TotalCount {
            sql: String::new(),
            filter: Where::default(),
            entity: "",
        }
    }
}

#[cfg(test)]
impl<N: Node> Conn<N> {
    /// A page made of `edges`, and async-graphql's own connection of the same.
    pub(crate) fn for_test(edges: Vec<(String, N)>) -> (Self, page_value::Inner<N>)
    where
        N: Clone,
    {
        let build = || {
            let mut c = Connection::with_additional_fields(false, true, TotalCount::unused());
            for (cursor, node) in &edges {
                c.edges.push(Edge::new(cursor.clone(), node.clone()));
            }
            c
        };
        (Conn(build()), build())
    }
}

/// One page of `keyset`'s table under `filter`, in key order (`descending` reverses it).
pub async fn page<N: Node>(
    state: &ApiState,
    keyset: &Keyset,
    filter: Where,
    args: PageArgs,
    descending: bool,
    selected: &Selected,
) -> Result<Conn<N>, ApiError> {
    let limit = page_size(&args)?;
    let after = args
        .after
        .as_deref()
        .map(|c| decode(keyset, c))
        .transpose()?;
    let before = args
        .before
        .as_deref()
        .map(|c| decode(keyset, c))
        .transpose()?;
    let count = TotalCount {
        sql: format!("SELECT count(*) FROM {}{}", keyset.table, filter.sql()),
        filter: filter.clone(),
        entity: keyset.entity,
    };
    let mut bounded = filter;
    let key_list = keyset
        .key
        .iter()
        .map(|(c, _)| *c)
        .collect::<Vec<_>>()
        .join(", ");
    let holes = vec!["$?"; keyset.key.len()].join(", ");
    // In display order, `after` bounds from below and `before` from above.
    let (after_op, before_op) = if descending { ("<", ">") } else { (">", "<") };
    if let Some(k) = &after {
        bounded.push(&format!("({key_list}) {after_op} ({holes})"), k.clone());
    }
    if let Some(k) = &before {
        bounded.push(&format!("({key_list}) {before_op} ({holes})"), k.clone());
    }
    let from_end = args.last.is_some();
    // `last` reads backwards from the far end and flips the rows afterwards.
    let dir = if descending != from_end {
        "DESC"
    } else {
        "ASC"
    };
    let order = keyset
        .key
        .iter()
        .map(|(c, _)| format!("{c} {dir}"))
        .collect::<Vec<_>>()
        .join(", ");
    let select = keyset
        .key
        .iter()
        .enumerate()
        .map(|(i, (c, _))| format!("{c} AS \"__k{i}\""))
        .chain(
            N::COLUMNS
                .iter()
                .filter(|(_, f)| selected.has(f))
                .map(|(e, f)| format!("{e} AS \"{f}\"")),
        )
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "SELECT {select} FROM {}{} ORDER BY {order} LIMIT {}",
        keyset.table,
        bounded.sql(),
        i64::from(limit) + 1
    );
    let client = state.read.get().await?;
    let mut rows = {
        let _t = state.metrics.time_query(keyset.entity);
        client.query(&sql, &bounded.refs()).await?
    };
    let more = rows.len() > usize::try_from(limit).unwrap_or(0);
    rows.truncate(usize::try_from(limit).unwrap_or(0));
    if from_end {
        rows.reverse();
    }
    let (has_previous, has_next) = if from_end {
        (more, before.is_some())
    } else {
        (after.is_some(), more)
    };
    let mut conn = Connection::with_additional_fields(has_previous, has_next, count);
    let mask: Vec<bool> = N::COLUMNS.iter().map(|(_, f)| selected.has(f)).collect();
    for row in &rows {
        conn.edges.push(Edge::new(
            encode(keyset, row)?,
            N::from_row_selected(row, &mask, keyset.key.len())?,
        ));
    }
    Ok(Conn(conn))
}

/// The rows a page asks for, checked against the limits.
fn page_size(args: &PageArgs) -> Result<i32, ApiError> {
    let n = match (args.first, args.last) {
        (Some(_), Some(_)) => {
            return Err(ApiError::bad_input(
                "FIRST_AND_LAST",
                "give `first` or `last`, not both",
            ))
        }
        (Some(n), None) | (None, Some(n)) => n,
        (None, None) => DEFAULT_PAGE,
    };
    if n < 0 {
        return Err(ApiError::bad_input(
            "INVALID_PAGE_SIZE",
            format!("page size {n} is negative"),
        ));
    }
    if n > MAX_PAGE {
        return Err(ApiError::bad_input(
            "PAGE_SIZE_TOO_LARGE",
            format!("page size {n} is over the limit of {MAX_PAGE}"),
        ));
    }
    Ok(n)
}

/// The cursor of a row selected by `page` (key columns first, aliased `__k<i>`): hex of
/// `{"e":entity,"k":[key values]}`, written directly (it is computed for every row of a page).
fn encode(keyset: &Keyset, row: &Row) -> Result<String, ApiError> {
    use std::io::Write as _;
    // Writing into a Vec cannot fail; the conversion only keeps the types honest.
    let internal = |e: std::io::Error| ApiError::Internal(e.to_string());
    let mut json = Vec::with_capacity(64);
    write!(json, "{{\"e\":\"{}\",\"k\":[", keyset.entity).map_err(internal)?;
    for (i, (_, ty)) in keyset.key.iter().enumerate() {
        if i > 0 {
            json.push(b',');
        }
        match ty {
            KeyType::Text => serde_json::to_writer(&mut json, row.try_get::<_, &str>(i)?)
                .map_err(|e| ApiError::Internal(e.to_string()))?,
            KeyType::Big => write!(json, "{}", row.try_get::<_, i64>(i)?).map_err(internal)?,
            KeyType::Int => write!(json, "{}", row.try_get::<_, i32>(i)?).map_err(internal)?,
            KeyType::Small => write!(json, "{}", row.try_get::<_, i16>(i)?).map_err(internal)?,
        }
    }
    json.extend_from_slice(b"]}");
    Ok(hex_string(&json))
}

/// Lower-case hex of `bytes`.
fn hex_string(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    out
}

/// The key a cursor names, as statement parameters.
fn decode(keyset: &Keyset, cursor: &str) -> Result<Vec<Param>, ApiError> {
    let invalid = || ApiError::bad_input("INVALID_CURSOR", format!("invalid cursor {cursor:?}"));
    if !cursor.len().is_multiple_of(2) || cursor.len() > 8192 {
        return Err(invalid());
    }
    let bytes = (0..cursor.len())
        .step_by(2)
        .map(|i| {
            cursor
                .get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        })
        .collect::<Option<Vec<u8>>>()
        .ok_or_else(invalid)?;
    let value: Value = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
    if value.get("e").and_then(Value::as_str) != Some(keyset.entity) {
        return Err(invalid());
    }
    let key = value
        .get("k")
        .and_then(Value::as_array)
        .filter(|k| k.len() == keyset.key.len())
        .ok_or_else(invalid)?;
    key.iter()
        .zip(keyset.key)
        .map(|(v, (_, ty))| match ty {
            KeyType::Text => v.as_str().map(|s| Param::Text(s.to_string())),
            KeyType::Big => v.as_i64().map(Param::Big),
            KeyType::Int => v
                .as_i64()
                .and_then(|n| i32::try_from(n).ok())
                .map(Param::Int),
            KeyType::Small => v
                .as_i64()
                .and_then(|n| i16::try_from(n).ok())
                .map(Param::Small),
        })
        .collect::<Option<Vec<_>>>()
        .ok_or_else(invalid)
}

#[cfg(test)]
mod tests {
    use super::*;

    const KS: Keyset = Keyset {
        entity: "t",
        table: "t",
        key: &[("a", KeyType::Text), ("b", KeyType::Small)],
    };

    fn hex(s: &str) -> String {
        s.bytes().map(|b| format!("{b:02x}")).collect()
    }

    #[test]
    fn cursors_decode_only_for_their_entity_and_shape() {
        let good = hex(r#"{"e":"t","k":["x",3]}"#);
        assert_eq!(
            decode(&KS, &good).unwrap(),
            vec![Param::Text("x".into()), Param::Small(3)]
        );
        for bad in [
            "zz".to_string(),
            "abc".to_string(),
            hex(r#"{"e":"u","k":["x",3]}"#),
            hex(r#"{"e":"t","k":["x"]}"#),
            hex(r#"{"e":"t","k":["x",70000]}"#),
            hex(r#"{"e":"t","k":[1,3]}"#),
            hex("not json"),
        ] {
            let e = decode(&KS, &bad).unwrap_err();
            assert_eq!(e.code(), "INVALID_CURSOR", "{bad}");
        }
    }

    #[test]
    fn hex_is_lower_case_and_round_trips() {
        let bytes: Vec<u8> = (0..=255).collect();
        let h = hex_string(&bytes);
        assert_eq!(h, hex::encode(&bytes));
        assert_eq!(hex::decode(&h).unwrap(), bytes);
    }

    #[test]
    fn selected_fields_name_their_columns() {
        let only = Selected::Only(vec!["owner".into(), "opened_height".into()]);
        assert!(only.has("opened_height") && !only.has("balance"));
        assert!(Selected::All.has("balance"));
    }

    #[test]
    fn page_sizes_are_checked() {
        let args = |first, last| PageArgs {
            first,
            last,
            ..Default::default()
        };
        assert_eq!(page_size(&args(None, None)).unwrap(), DEFAULT_PAGE);
        assert_eq!(page_size(&args(Some(1000), None)).unwrap(), 1000);
        assert_eq!(
            page_size(&args(Some(1001), None)).unwrap_err().code(),
            "PAGE_SIZE_TOO_LARGE"
        );
        assert_eq!(
            page_size(&args(None, Some(-1))).unwrap_err().code(),
            "INVALID_PAGE_SIZE"
        );
        assert_eq!(
            page_size(&args(Some(1), Some(1))).unwrap_err().code(),
            "FIRST_AND_LAST"
        );
    }
}
