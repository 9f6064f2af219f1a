//! Escrow state connections: accounts, payments (leases), their live intervals and
//! allowances, as the projector keeps them (one row per entity, as of its last event).

use async_graphql::{Context, Enum, Object};

use super::connection::{Conn, KeyOrder, KeyType, Keyset, PageArgs};
use super::filter;
use super::node::node;
use super::resolve;
use crate::api::sql::{Param, Where};

node! {
    /// An escrow account (a deployment's funds) as of its last event.
    EscrowAccount {
        /// The deployment's owner (tenant).
        owner: String = "owner",
        /// The deployment sequence number, unique per owner.
        dseq: i64 = "dseq",
        /// The account's denom.
        denom: String = "denom",
        /// open | overdrawn | closed.
        state: String = "state",
        /// Height of `account_opened`.
        opened_height: i64 = "opened_height",
        /// Height it closed at.
        closed_height: Option<i64> = "closed_height",
        /// Why it closed.
        close_reason: Option<String> = "close_reason",
        /// Remaining deposits (exact integer string).
        balance: String = "balance::text",
        /// Sum of its open payments' rates per block (exact decimal string).
        account_rate: String = "account_rate::text",
        /// Predicted block whose charge its funds cannot cover.
        depletes_at: Option<i64> = "depletes_at",
        /// Block whose charge its funds could not cover.
        exhausted_at: Option<i64> = "exhausted_at",
        /// Everything ever deposited.
        deposited: String = "deposited::text",
        /// The last top-up's amount.
        last_top_up: Option<String> = "last_top_up::text",
        /// The last top-up's height.
        last_top_up_height: Option<i64> = "last_top_up_height",
        /// Height of its last event.
        updated_height: i64 = "updated_height",
    }
}

node! {
    /// A payment (lease) as of its last event.
    EscrowPayment {
        /// The account's owner.
        owner: String = "owner",
        /// The account's deployment sequence.
        dseq: i64 = "dseq",
        /// The payment's id within the account.
        payment_id: i64 = "payment_id",
        /// The provider paid.
        provider: String = "provider",
        /// The account's denom.
        denom: String = "denom",
        /// Charge per block (exact decimal string).
        rate: String = "rate::text",
        /// GPU model leased ("" without GPUs).
        gpu_model: String = "gpu_model",
        /// GPUs leased.
        gpu_count: i32 = "gpu_count",
        /// open | overdrawn | closed.
        state: String = "state",
        /// Height it opened at.
        opened_height: i64 = "opened_height",
        /// Height it closed at.
        closed_height: Option<i64> = "closed_height",
        /// Why it closed.
        close_reason: Option<String> = "close_reason",
        /// Σ settled amounts plus debt paid (exact integer string).
        settled: String = "settled::text",
        /// Debt outstanding (exact integer string).
        debt: String = "debt::text",
        /// Withdrawn by the provider (exact integer string).
        withdrawn: String = "withdrawn::text",
        /// Height of its last event.
        updated_height: i64 = "updated_height",
    }
}

node! {
    /// The blocks a payment is charged for: `(fromHeight, toHeight]`, `toHeight` null while it
    /// runs.
    PaymentLiveInterval {
        /// The account's owner.
        owner: String = "owner",
        /// The account's deployment sequence.
        dseq: i64 = "dseq",
        /// The payment's id.
        payment_id: i64 = "payment_id",
        /// Exclusive start height.
        from_height: i64 = "from_height",
        /// Inclusive end height (null while live).
        to_height: Option<i64> = "to_height",
    }
}

node! {
    /// A sponsor's allowance to a grantee, as of its last event.
    EscrowAllowance {
        /// The sponsor.
        granter: String = "granter",
        /// Who may spend it.
        grantee: String = "grantee",
        /// Its denom.
        denom: String = "denom",
        /// What it may be spent on.
        scope: Option<String> = "scope",
        /// What is left (exact integer string).
        balance: String = "balance::text",
        /// Everything granted (exact integer string).
        granted: String = "granted::text",
        /// Everything spent (exact integer string).
        spent: String = "spent::text",
        /// Height after which it cannot be spent.
        expires_at: Option<i64> = "expires_at",
        /// Revoked by the granter.
        revoked: bool = "revoked",
        /// Height of its last event.
        updated_height: i64 = "updated_height",
    }
}

/// State of an escrow account.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
pub enum AccountState {
    /// Charging (funded).
    Open,
    /// Out of funds, carrying debt; may reopen.
    Overdrawn,
    /// Terminal.
    Closed,
}

/// State of a payment.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
pub enum PaymentState {
    /// Charging (funded).
    Open,
    /// Out of funds, carrying debt; may reopen.
    Overdrawn,
    /// Terminal.
    Closed,
}

impl AccountState {
    /// The catalogue's value, as stored.
    fn sql(self) -> Param {
        Param::Text(
            match self {
                AccountState::Open => "open",
                AccountState::Overdrawn => "overdrawn",
                AccountState::Closed => "closed",
            }
            .into(),
        )
    }
}

impl PaymentState {
    /// The catalogue's value, as stored.
    fn sql(self) -> Param {
        Param::Text(
            match self {
                PaymentState::Open => "open",
                PaymentState::Overdrawn => "overdrawn",
                PaymentState::Closed => "closed",
            }
            .into(),
        )
    }
}

const ACCOUNTS: Keyset = Keyset {
    entity: "escrow_account",
    table: "escrow_account",
    key: &[("owner", KeyType::Text), ("dseq", KeyType::Big)],
};
const PAYMENTS: Keyset = Keyset {
    entity: "escrow_payment",
    table: "escrow_payment",
    key: &[
        ("owner", KeyType::Text),
        ("dseq", KeyType::Big),
        ("payment_id", KeyType::Big),
    ],
};
const INTERVALS: Keyset = Keyset {
    entity: "payment_live_interval",
    table: "payment_live_interval",
    key: &[
        ("owner", KeyType::Text),
        ("dseq", KeyType::Big),
        ("payment_id", KeyType::Big),
        ("from_height", KeyType::Big),
    ],
};
const ALLOWANCES: Keyset = Keyset {
    entity: "escrow_allowance",
    table: "escrow_allowance",
    key: &[
        ("granter", KeyType::Text),
        ("grantee", KeyType::Text),
        ("denom", KeyType::Text),
    ],
};

/// The escrow fields of `Query`.
#[derive(Default)]
pub struct EscrowQuery;

#[Object]
impl EscrowQuery {
    /// Escrow accounts by (owner, dseq); `fromHeight`/`toHeight` bound the opening height.
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "super::connection::page_cost(first, last, child_complexity)")]
    async fn escrow_accounts(
        &self,
        ctx: &Context<'_>,
        owner: Option<String>,
        state: Option<AccountState>,
        denom: Option<String>,
        from_height: Option<i64>,
        to_height: Option<i64>,
        #[graphql(default)] order_by: KeyOrder,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<Conn<EscrowAccount>> {
        let mut w = Where::default();
        filter::text(&mut w, "owner", owner);
        w.eq("state", state.map(AccountState::sql));
        filter::text(&mut w, "denom", denom);
        filter::heights(&mut w, "opened_height", from_height, to_height)?;
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        resolve(ctx, &ACCOUNTS, w, args, order_by.into()).await
    }

    /// Payments (leases) by (owner, dseq, paymentId); `fromHeight`/`toHeight` bound the
    /// opening height.
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "super::connection::page_cost(first, last, child_complexity)")]
    async fn escrow_payments(
        &self,
        ctx: &Context<'_>,
        owner: Option<String>,
        dseq: Option<i64>,
        provider: Option<String>,
        state: Option<PaymentState>,
        denom: Option<String>,
        gpu_model: Option<String>,
        from_height: Option<i64>,
        to_height: Option<i64>,
        #[graphql(default)] order_by: KeyOrder,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<Conn<EscrowPayment>> {
        let mut w = Where::default();
        filter::text(&mut w, "owner", owner);
        w.eq("dseq", dseq.map(Param::Big));
        filter::text(&mut w, "provider", provider);
        w.eq("state", state.map(PaymentState::sql));
        filter::text(&mut w, "denom", denom);
        filter::text(&mut w, "gpu_model", gpu_model);
        filter::heights(&mut w, "opened_height", from_height, to_height)?;
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        resolve(ctx, &PAYMENTS, w, args, order_by.into()).await
    }

    /// Live intervals of payments; `fromHeight`/`toHeight` bound the interval's start.
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "super::connection::page_cost(first, last, child_complexity)")]
    async fn payment_live_intervals(
        &self,
        ctx: &Context<'_>,
        owner: Option<String>,
        dseq: Option<i64>,
        payment_id: Option<i64>,
        from_height: Option<i64>,
        to_height: Option<i64>,
        #[graphql(default)] order_by: KeyOrder,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<Conn<PaymentLiveInterval>> {
        let mut w = Where::default();
        filter::text(&mut w, "owner", owner);
        w.eq("dseq", dseq.map(Param::Big));
        w.eq("payment_id", payment_id.map(Param::Big));
        filter::heights(&mut w, "from_height", from_height, to_height)?;
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        resolve(ctx, &INTERVALS, w, args, order_by.into()).await
    }

    /// Allowances by (granter, grantee, denom).
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "super::connection::page_cost(first, last, child_complexity)")]
    async fn escrow_allowances(
        &self,
        ctx: &Context<'_>,
        granter: Option<String>,
        grantee: Option<String>,
        denom: Option<String>,
        #[graphql(default)] order_by: KeyOrder,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<Conn<EscrowAllowance>> {
        let mut w = Where::default();
        filter::text(&mut w, "granter", granter);
        filter::text(&mut w, "grantee", grantee);
        filter::text(&mut w, "denom", denom);
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        resolve(ctx, &ALLOWANCES, w, args, order_by.into()).await
    }
}
