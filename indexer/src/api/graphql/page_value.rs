//! A connection page resolved to its GraphQL value in one pass. async-graphql resolves every
//! field of every edge as a boxed future of its own and merges their results, which for a
//! 100-row page of scalar nodes cost several times the SQL that read the page. For nodes declared
//! with `node!` (whose fields are plain scalars), `edges` and `nodes` are planned once per page
//! from the query's selection and each row then becomes its value directly; the other fields
//! (`pageInfo`, `totalCount`) and hand-written nodes go through async-graphql as before.

use std::borrow::Cow;

use async_graphql::connection::{Connection, Edge, EmptyFields};
use async_graphql::indexmap::IndexMap;
use async_graphql::parser::types::{Field, Selection, SelectionSet};
use async_graphql::{
    ContainerType, ContextSelectionSet, Name, OutputType, Positioned, ScalarType, ServerResult,
    Value,
};
use chrono::{DateTime, Utc};

use super::connection::{Node, TotalCount};

/// async-graphql's connection type that [`super::connection::Conn`] wraps.
pub type Inner<N> = Connection<String, N, TotalCount, EmptyFields>;

/// Reads one field of a node as its GraphQL value.
pub type Getter<N> = fn(&N) -> Value;

/// A node field's GraphQL value.
pub trait FieldValue {
    /// The value async-graphql would send for it.
    fn value(&self) -> Value;
}

macro_rules! scalar_field_value {
    ($($t:ty),*) => {$(
        impl FieldValue for $t {
            fn value(&self) -> Value {
                ScalarType::to_value(self)
            }
        }
        impl FieldValue for Option<$t> {
            fn value(&self) -> Value {
                self.as_ref().map_or(Value::Null, ScalarType::to_value)
            }
        }
    )*};
}
scalar_field_value!(String, i64, i32, i16, bool, DateTime<Utc>);

/// The value of `conn` for the selection in `ctx`.
pub async fn resolve<N: Node>(
    conn: &Inner<N>,
    ctx: &ContextSelectionSet<'_>,
    field: &Positioned<Field>,
) -> ServerResult<Value> {
    let Some(getters) = N::VALUES else {
        return OutputType::resolve(conn, ctx, field).await;
    };
    let type_name = Inner::<N>::type_name();
    let mut fields = Vec::new();
    flatten(ctx, &ctx.item.node, &type_name, &mut fields);
    let mut out = IndexMap::with_capacity(fields.len());
    for f in fields {
        let value = match f.node.name.node.as_str() {
            "__typename" => Value::String(type_name.to_string()),
            "edges" => match plan_edge::<N>(ctx, f) {
                Some(plan) => Value::List(
                    conn.edges
                        .iter()
                        .map(|e| edge_value(&plan, e, getters))
                        .collect(),
                ),
                None => delegate(conn, ctx, f).await?,
            },
            "nodes" => match plan_node::<N>(ctx, &f.node.selection_set.node) {
                Some(plan) => Value::List(
                    conn.edges
                        .iter()
                        .map(|e| node_value(&plan, &e.node, getters))
                        .collect(),
                ),
                None => delegate(conn, ctx, f).await?,
            },
            _ => delegate(conn, ctx, f).await?,
        };
        insert_value(&mut out, f.node.response_key().node.clone(), value);
    }
    Ok(Value::Object(out))
}

/// Field `f` of `conn` resolved by async-graphql.
async fn delegate<N: Node>(
    conn: &Inner<N>,
    ctx: &ContextSelectionSet<'_>,
    f: &Positioned<Field>,
) -> ServerResult<Value> {
    let ctx_field = ctx.with_field(f);
    Ok(conn.resolve_field(&ctx_field).await?.unwrap_or_default())
}

/// The fields of `set` on type `on`, fragments spread in. Validation has checked that every
/// fragment can apply (there are no interfaces or unions here, so one applies when its type is
/// `on`), and fields under a false `@skip`/`@include` were removed before execution.
fn flatten<'a>(
    ctx: &ContextSelectionSet<'a>,
    set: &'a SelectionSet,
    on: &str,
    out: &mut Vec<&'a Positioned<Field>>,
) {
    let applies = |condition: Option<&str>| condition.is_none_or(|c| c == on);
    for s in &set.items {
        match &s.node {
            Selection::Field(f) => out.push(f),
            Selection::FragmentSpread(spread) => {
                if let Some(fragment) = ctx.query_env.fragments.get(&spread.node.fragment_name.node)
                {
                    let condition = fragment.node.type_condition.node.on.node.as_str();
                    if applies(Some(condition)) {
                        flatten(ctx, &fragment.node.selection_set.node, on, out);
                    }
                }
            }
            Selection::InlineFragment(inline) => {
                let condition = inline
                    .node
                    .type_condition
                    .as_ref()
                    .map(|c| c.node.on.node.as_str());
                if applies(condition) {
                    flatten(ctx, &inline.node.selection_set.node, on, out);
                }
            }
        }
    }
}

/// What a node's response holds: response key and the field (`None` = `__typename`).
type NodePlan = Vec<(Name, Option<usize>)>;

/// One part of an edge's response.
enum EdgePart {
    Typename,
    Cursor,
    Node(NodePlan),
}

struct EdgePlan {
    type_name: String,
    parts: Vec<(Name, EdgePart)>,
}

/// The node fields `set` selects, as indexes into `N::VALUES`; `None` if it selects a field
/// this pass does not know (async-graphql then resolves the whole field).
fn plan_node<N: Node>(ctx: &ContextSelectionSet<'_>, set: &SelectionSet) -> Option<NodePlan> {
    let type_name = N::type_name();
    // The registry lists an object's fields in declaration order, which `node!` shares with
    // `COLUMNS` and `VALUES`.
    let declared = ctx
        .schema_env
        .registry
        .types
        .get(type_name.as_ref())?
        .fields()?;
    if declared.len() != N::COLUMNS.len() {
        return None;
    }
    let mut fields = Vec::new();
    flatten(ctx, set, &type_name, &mut fields);
    fields
        .into_iter()
        .map(|f| {
            let key = f.node.response_key().node.clone();
            match f.node.name.node.as_str() {
                "__typename" => Some((key, None)),
                name => declared.get_index_of(name).map(|i| (key, Some(i))),
            }
        })
        .collect()
}

fn plan_edge<N: Node>(ctx: &ContextSelectionSet<'_>, f: &Positioned<Field>) -> Option<EdgePlan> {
    let type_name: Cow<'static, str> = <Edge<String, N, EmptyFields> as OutputType>::type_name();
    let mut fields = Vec::new();
    flatten(ctx, &f.node.selection_set.node, &type_name, &mut fields);
    let parts = fields
        .into_iter()
        .map(|f| {
            let key = f.node.response_key().node.clone();
            let part = match f.node.name.node.as_str() {
                "__typename" => EdgePart::Typename,
                "cursor" => EdgePart::Cursor,
                "node" => EdgePart::Node(plan_node::<N>(ctx, &f.node.selection_set.node)?),
                _ => return None,
            };
            Some((key, part))
        })
        .collect::<Option<Vec<_>>>()?;
    Some(EdgePlan {
        type_name: type_name.into_owned(),
        parts,
    })
}

fn edge_value<N: Node>(
    plan: &EdgePlan,
    edge: &Edge<String, N, EmptyFields>,
    getters: &[Getter<N>],
) -> Value {
    let mut out = IndexMap::with_capacity(plan.parts.len());
    for (key, part) in &plan.parts {
        let value = match part {
            EdgePart::Typename => Value::String(plan.type_name.clone()),
            EdgePart::Cursor => Value::String(edge.cursor.clone()),
            EdgePart::Node(node) => node_value(node, &edge.node, getters),
        };
        insert_value(&mut out, key.clone(), value);
    }
    Value::Object(out)
}

fn node_value<N: Node>(plan: &NodePlan, node: &N, getters: &[Getter<N>]) -> Value {
    let mut out = IndexMap::with_capacity(plan.len());
    for (key, field) in plan {
        let value = match field {
            None => Value::String(N::type_name().into_owned()),
            Some(i) => getters.get(*i).map_or(Value::Null, |get| get(node)),
        };
        insert_value(&mut out, key.clone(), value);
    }
    Value::Object(out)
}

/// Adds `value` under `name`, merging it into an object (or a list of objects) already there,
/// as GraphQL merges fields selected more than once under the same response key.
fn insert_value(target: &mut IndexMap<Name, Value>, name: Name, value: Value) {
    use async_graphql::indexmap::map::Entry;
    match (target.entry(name), value) {
        (Entry::Vacant(slot), value) => {
            slot.insert(value);
        }
        (Entry::Occupied(mut slot), value) => match (slot.get_mut(), value) {
            (Value::Object(into), Value::Object(from)) => {
                for (k, v) in from {
                    insert_value(into, k, v);
                }
            }
            (Value::List(into), Value::List(from)) => {
                for (into, from) in into.iter_mut().zip(from) {
                    if let (Value::Object(into), Value::Object(from)) = (into, from) {
                        for (k, v) in from {
                            insert_value(into, k, v);
                        }
                    }
                }
            }
            // Scalars selected twice are the same value.
            _ => {}
        },
    }
}

#[cfg(test)]
mod tests {
    use async_graphql::{EmptyMutation, EmptySubscription, Object, Schema, Variables};
    use chrono::TimeZone;

    use super::*;
    use crate::api::graphql::connection::Conn;
    use crate::api::graphql::node::node;

    node! {
        /// A node with every kind of field `node!` declares.
        Thing {
            /// Text.
            owner: String = "owner",
            /// A number.
            opened_height: i64 = "opened_height",
            /// Maybe a number.
            closed_height: Option<i64> = "closed_height",
            /// Maybe text.
            note: Option<String> = "note",
            /// A small number.
            phase: i16 = "phase",
            /// A flag.
            live: bool = "live",
            /// A time.
            at: DateTime<Utc> = "at",
        }
    }

    fn things() -> Vec<(String, Thing)> {
        (0..5i64)
            .map(|i| {
                let thing = Thing {
                    owner: format!("owner\"{i}"),
                    opened_height: i * 1_000_000_007,
                    closed_height: (i % 2 == 0).then_some(-i),
                    note: (i % 3 == 0).then(|| format!("n{i}")),
                    phase: i as i16,
                    live: i % 2 == 1,
                    at: Utc.timestamp_opt(1_700_000_000 + i, 0).unwrap(),
                };
                (format!("c{i}"), thing)
            })
            .collect()
    }

    struct Root;

    #[Object]
    impl Root {
        /// Resolved in one pass.
        async fn fast(&self) -> Conn<Thing> {
            Conn::for_test(things()).0
        }
        /// Resolved by async-graphql.
        async fn slow(&self) -> Inner<Thing> {
            Conn::for_test(things()).1
        }
    }

    #[tokio::test]
    async fn a_page_resolves_exactly_as_async_graphql_resolves_it() {
        let schema = Schema::new(Root, EmptyMutation, EmptySubscription);
        let queries = [
            "{ ROOT { edges { cursor node { owner openedHeight closedHeight note phase live at } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }",
            "query { x: ROOT { __typename e1: edges { __typename c: cursor node { ...N } } edges { node { live owner } } nodes { owner ... on Thing { closedHeight } ... { note } } ...C } }
             fragment N on Thing { owner at o2: owner __typename }
             fragment C on ThingConnection { pageInfo { startCursor } edges { cursor node { phase } } }",
            "query($yes: Boolean!) { ROOT { edges @skip(if: true) { cursor } nodes { owner @include(if: $yes) note @include(if: false) live @skip(if: $yes) } edges { node { at @include(if: $yes) } } } }",
            "{ ROOT { pageInfo { endCursor } } }",
        ];
        let vars = Variables::from_json(serde_json::json!({ "yes": true }));
        for q in queries {
            let run = |root: &str| {
                let request =
                    async_graphql::Request::new(q.replace("ROOT", root)).variables(vars.clone());
                schema.execute(request)
            };
            let (fast, slow) = (run("fast").await, run("slow").await);
            assert!(slow.errors.is_empty(), "{q}: {:?}", slow.errors);
            assert!(fast.errors.is_empty(), "{q}: {:?}", fast.errors);
            // The one root field's value (its key is the root's name unless aliased), in order.
            let value = |r: async_graphql::Response| {
                let json = r.data.into_json().unwrap();
                let root = json.as_object().unwrap().values().next().unwrap();
                serde_json::to_string(root).unwrap()
            };
            assert_eq!(value(fast), value(slow), "{q}");
        }
        // The one-pass resolution is the one that ran: a plan for every selection above.
        assert!(Thing::VALUES.is_some_and(|v| v.len() == Thing::COLUMNS.len()));
    }
}
