//! Escrow event connections: deposits and payment settlements, paged by chain position.

use async_graphql::{Context, Object};
use chrono::{DateTime, Utc};

use super::connection::{Conn, HeightOrder, Keyset, PageArgs};
use super::events::{events, position};
use super::filter;
use super::node::event_node;
use super::resolve;
use crate::api::sql::{Param, Where};

event_node! {
    /// `escrow.deposited`: funds entered an account.
    EscrowDeposited {
        /// The account's owner.
        owner: String = "owner",
        /// The account's deployment sequence.
        dseq: i64 = "dseq",
        /// Whose deposit it is.
        depositor: String = "depositor",
        /// funds | allowance.
        source: String = "source",
        /// The grantee that spent the depositor's allowance.
        grantee: Option<String> = "grantee",
        /// Amount deposited (exact integer string).
        amount: String = "amount::text",
        /// The account's denom.
        denom: String = "denom",
        /// The depositor's remaining deposit in this account after it.
        deposit_remaining: String = "deposit_remaining::text",
        /// The account's balance after it.
        balance: String = "balance::text",
        /// Height the contract recorded.
        height: i64 = "height",
        /// The account's rate after it (exact decimal string).
        account_rate: String = "account_rate::text",
        /// Predicted depletion block after it.
        depletes_at: Option<i64> = "depletes_at",
    }
}

event_node! {
    /// `escrow.payment_settled`: one payment's share of a settlement of `(fromHeight, toHeight]`.
    EscrowPaymentSettled {
        /// The account's owner.
        owner: String = "owner",
        /// The account's deployment sequence.
        dseq: i64 = "dseq",
        /// The payment's id.
        payment_id: i64 = "payment_id",
        /// The provider paid.
        provider: String = "provider",
        /// Exclusive start of the settled blocks.
        from_height: i64 = "from_height",
        /// Inclusive end of the settled blocks.
        to_height: i64 = "to_height",
        /// Moved to the provider's withdrawable balance (exact integer string).
        amount: String = "amount::text",
        /// Due but not covered (exact integer string).
        debt: String = "debt::text",
        /// The account's denom.
        denom: String = "denom",
        /// The payment's withdrawable balance after it.
        withdrawable: String = "withdrawable::text",
    }
}

const DEPOSITS: Keyset = events("escrow_deposited");
const SETTLEMENTS: Keyset = events("escrow_payment_settled");

/// The escrow event fields of `Query`.
#[derive(Default)]
pub struct EscrowEventQuery;

#[Object]
impl EscrowEventQuery {
    /// Deposits into escrow accounts.
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "super::connection::page_cost(first, last, child_complexity)")]
    async fn deposits(
        &self,
        ctx: &Context<'_>,
        owner: Option<String>,
        dseq: Option<i64>,
        depositor: Option<String>,
        denom: Option<String>,
        from_height: Option<i64>,
        to_height: Option<i64>,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
        #[graphql(default)] order_by: HeightOrder,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<Conn<EscrowDeposited>> {
        let mut w = Where::default();
        filter::text(&mut w, "owner", owner);
        w.eq("dseq", dseq.map(Param::Big));
        filter::text(&mut w, "depositor", depositor);
        filter::text(&mut w, "denom", denom);
        position(&mut w, from_height, to_height, from, to)?;
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        resolve(ctx, &DEPOSITS, w, args, order_by.into()).await
    }

    /// Payment settlements.
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "super::connection::page_cost(first, last, child_complexity)")]
    async fn settlements(
        &self,
        ctx: &Context<'_>,
        owner: Option<String>,
        dseq: Option<i64>,
        provider: Option<String>,
        denom: Option<String>,
        from_height: Option<i64>,
        to_height: Option<i64>,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
        #[graphql(default)] order_by: HeightOrder,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<Conn<EscrowPaymentSettled>> {
        let mut w = Where::default();
        filter::text(&mut w, "owner", owner);
        w.eq("dseq", dseq.map(Param::Big));
        filter::text(&mut w, "provider", provider);
        filter::text(&mut w, "denom", denom);
        position(&mut w, from_height, to_height, from, to)?;
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        resolve(ctx, &SETTLEMENTS, w, args, order_by.into()).await
    }
}
