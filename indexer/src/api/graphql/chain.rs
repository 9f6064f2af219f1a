//! Chain connections: committed blocks and the raw events of followed contracts.

use async_graphql::{Context, Object};
use chrono::{DateTime, Utc};

use super::connection::{Conn, HeightOrder, KeyType, Keyset, PageArgs};
use super::events::{events, position};
use super::filter;
use super::node::node;
use super::resolve;
use crate::api::sql::Where;

node! {
    /// A block the indexer has committed.
    Block {
        /// Its height.
        block_height: i64 = "block_height",
        /// Its time.
        block_time: DateTime<Utc> = "block_time",
        /// Its hash.
        hash: String = "hash",
        /// Transactions in it.
        tx_count: i32 = "tx_count",
        /// Events of followed contracts in it.
        event_count: i32 = "event_count",
    }
}

node! {
    /// An event of a followed contract as delivered (kept so `reindex` needs no RPC).
    RawEvent {
        /// Height of its block.
        block_height: i64 = "block_height",
        /// 0 = a transaction's event, 1 = `finalize_block`.
        phase: i16 = "phase",
        /// Index of the transaction in the block.
        tx_index: i32 = "tx_index",
        /// Index of the event.
        event_index: i32 = "event_index",
        /// The contract that emitted it.
        contract_address: String = "contract_address",
        /// The event type as delivered, `wasm-<contract>.<action>`.
        #[graphql(name = "type")]
        event_type: String = "type",
        /// Its attributes as JSON text, `[[key, value], …]` in delivery order.
        attributes: String = "attributes::text",
    }
}

const RAW: Keyset = events("raw_event");
const BLOCKS: Keyset = Keyset {
    entity: "block",
    table: "block",
    key: &[("block_height", KeyType::Big)],
};

/// The block and raw-event fields of `Query`.
#[derive(Default)]
pub struct ChainQuery;

#[Object]
impl ChainQuery {
    /// Committed blocks; `from`/`to` bound the block time.
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "super::connection::page_cost(first, last, child_complexity)")]
    async fn blocks(
        &self,
        ctx: &Context<'_>,
        from_height: Option<i64>,
        to_height: Option<i64>,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
        #[graphql(default)] order_by: HeightOrder,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<Conn<Block>> {
        let mut w = Where::default();
        position(&mut w, from_height, to_height, from, to)?;
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        resolve(ctx, &BLOCKS, w, args, order_by.into()).await
    }

    /// Raw events of followed contracts, by contract address and type (`wasm-escrow.deposited`).
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "super::connection::page_cost(first, last, child_complexity)")]
    async fn raw_events(
        &self,
        ctx: &Context<'_>,
        contract_address: Option<String>,
        #[graphql(name = "type")] event_type: Option<String>,
        from_height: Option<i64>,
        to_height: Option<i64>,
        #[graphql(default)] order_by: HeightOrder,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<Conn<RawEvent>> {
        let mut w = Where::default();
        filter::text(&mut w, "contract_address", contract_address);
        filter::text(&mut w, "type", event_type);
        filter::heights(&mut w, "block_height", from_height, to_height)?;
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        resolve(ctx, &RAW, w, args, order_by.into()).await
    }
}
