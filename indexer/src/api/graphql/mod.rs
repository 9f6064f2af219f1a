//! The GraphQL schema: `_meta`, `stats` and a Relay connection per entity, with depth,
//! complexity, page-size and query-time limits; alert queries and mutations (API key);
//! subscriptions to blocks, events and accounts; every error carries `extensions.code`.

pub mod alert_mutation;
pub mod alerts;
pub mod auth;
pub mod chain;
pub mod codes;
pub mod connection;
pub mod escrow;
pub mod escrow_events;
pub mod events;
pub mod filter;
pub mod http;
pub mod meta;
mod node;
pub mod page_value;
pub mod stats;
pub mod subscription;

use async_graphql::{Context, MergedObject, Object, Schema};

use self::connection::{Conn, Keyset, Node, PageArgs};
use self::meta::Meta;
use self::stats::StatsQuery;
use crate::api::health::SyncStatus;
use crate::api::sql::Where;
use crate::api::ApiState;

/// Deepest selection nesting accepted (GraphiQL's introspection query needs 13).
pub const MAX_DEPTH: usize = 16;
/// Most fields one query may select, counted over the document (aliases count).
pub const MAX_COMPLEXITY: usize = 1000;

/// The root query.
#[derive(MergedObject, Default)]
pub struct Query(
    RootQuery,
    chain::ChainQuery,
    escrow::EscrowQuery,
    escrow_events::EscrowEventQuery,
    events::EventQuery,
    alerts::AlertQuery,
);

/// The root mutation: alerts, authenticated by an API key.
#[derive(MergedObject, Default)]
pub struct Mutation(alert_mutation::AlertMutation);

/// `_meta` and `stats`.
#[derive(Default)]
pub struct RootQuery;

#[Object]
impl RootQuery {
    /// Where indexing stands.
    #[graphql(name = "_meta")]
    async fn meta(&self, ctx: &Context<'_>) -> async_graphql::Result<Meta> {
        let state = ctx.data::<ApiState>()?;
        let status = SyncStatus::read(state).await?;
        Ok(Meta::of(&status, state.ready_lag_blocks))
    }

    /// Statistics: daily spend, the dashboard, series and reconciliation.
    async fn stats(&self) -> StatsQuery {
        StatsQuery
    }
}

/// The schema type.
pub type ApiSchema = Schema<Query, Mutation, subscription::Subscription>;

/// The schema with its limits; `state` is what resolvers read (`ctx.data::<ApiState>()`).
/// It has no extension: with any installed, async-graphql resolves every field and list item
/// through a slower path (a `ResolveInfo` with registry lookups each), which tripled the cost
/// of a 100-row page. Its callers tag errors themselves ([`codes::execute`]).
pub fn schema(state: Option<ApiState>) -> ApiSchema {
    builder(state).finish()
}

/// [`schema`] for websocket subscriptions, with the extension that tags parse and validation
/// errors: the websocket transport offers no hook on the responses it sends.
pub fn subscription_schema(state: Option<ApiState>) -> ApiSchema {
    builder(state).extension(codes::ErrorCodes).finish()
}

fn builder(
    state: Option<ApiState>,
) -> async_graphql::SchemaBuilder<Query, Mutation, subscription::Subscription> {
    let builder = Schema::build(
        Query::default(),
        Mutation::default(),
        subscription::Subscription,
    )
    .limit_depth(MAX_DEPTH)
    .limit_complexity(MAX_COMPLEXITY);
    match state {
        Some(state) => builder.data(state),
        None => builder,
    }
}

/// The SDL, as committed in `schema/indexer.graphql` (`indexer schema` prints it).
pub fn sdl() -> String {
    schema(None).sdl()
}

/// A page of a connection for a resolver.
async fn resolve<N: Node>(
    ctx: &Context<'_>,
    keyset: &Keyset,
    filter: Where,
    args: PageArgs,
    descending: bool,
) -> async_graphql::Result<Conn<N>> {
    let state = ctx.data::<ApiState>()?;
    let selected = connection::Selected::of_connection::<N>(ctx);
    Ok(connection::page::<N>(state, keyset, filter, args, descending, &selected).await?)
}
