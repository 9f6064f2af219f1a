//! Alerts as API-key holders see them: their alerts with state, last value and disabled
//! reason, and each alert's deliveries (the outbox rows) with every attempt (the delivery log).
//! The names of metrics, comparators and states are `alerts::rule`'s, in GraphQL case.

use std::str::FromStr;

use async_graphql::{ComplexObject, Context, Enum, Object, SimpleObject};
use chrono::{DateTime, Utc};
use tokio_postgres::Row;

use super::auth::{api_key, may_act_for};
use super::connection::{self, Conn, KeyOrder, KeyType, Keyset, Node, PageArgs};
use crate::alerts::rule;
use crate::api::sql::{Param, Where};
use crate::api::{ApiError, ApiState};

/// Declares a GraphQL enum with the variants of a `rule` enum and the conversions both ways
/// (a variant added on one side only does not compile).
macro_rules! mirror {
    ($(#[$m:meta])* $gql:ident = $name:literal <=> $rule:ident { $($(#[$vm:meta])* $v:ident),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
        #[graphql(name = $name)]
        pub enum $gql { $($(#[$vm])* $v),+ }

        impl From<$gql> for rule::$rule {
            fn from(v: $gql) -> Self {
                match v { $($gql::$v => rule::$rule::$v),+ }
            }
        }

        impl From<rule::$rule> for $gql {
            fn from(v: rule::$rule) -> Self {
                match v { $(rule::$rule::$v => $gql::$v),+ }
            }
        }
    };
}

mirror! {
    /// What an alert measures.
    AlertMetric = "AlertMetric" <=> Metric {
        /// Remaining deposits, in base units.
        Balance,
        /// Remaining deposits as a percent of the last top-up.
        BalancePercentOfTopUp,
        /// Seconds until the funds run out (at the writer's seconds per block).
        TimeToDepletion,
    }
}

mirror! {
    /// How the value is compared with the threshold.
    AlertComparator = "AlertComparator" <=> Comparator {
        /// value < threshold.
        Below,
        /// value = threshold.
        At,
        /// value > threshold.
        Above,
    }
}

mirror! {
    /// An alert's state; a webhook is called only when it changes.
    AlertState = "AlertState" <=> AlertState {
        /// The condition does not hold.
        Ok,
        /// The condition holds.
        Triggered,
    }
}

/// A stored name read back through `rule`'s one spelling.
fn parse<T: FromStr<Err = String>>(row: &Row, column: &str) -> Result<T, ApiError> {
    let s: String = row.try_get(column)?;
    T::from_str(&s).map_err(|e| ApiError::Internal(format!("{column}: {e}")))
}

/// An alert on an escrow account.
#[derive(SimpleObject, Clone, Debug)]
#[graphql(complex)]
pub struct Alert {
    /// Its id.
    pub id: i64,
    /// The account's owner.
    pub owner: String,
    /// The account's deployment sequence.
    pub dseq: i64,
    /// Its name.
    pub name: String,
    /// A note for people.
    pub note: Option<String>,
    /// What it measures.
    pub metric: AlertMetric,
    /// How the value is compared.
    pub comparator: AlertComparator,
    /// Base units, percent or seconds (exact decimal string).
    pub threshold: String,
    /// Where transitions are POSTed.
    pub webhook_url: String,
    /// Evaluated as blocks are indexed.
    pub enabled: bool,
    /// Why it was turned off (the account closed, or through the API).
    pub disabled_reason: Option<String>,
    /// Its state as of `lastHeight`.
    pub state: AlertState,
    /// The value measured at its last transition (exact decimal string).
    pub last_value: Option<String>,
    /// Height of its last transition or of its disabling.
    pub last_height: Option<i64>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it last changed.
    pub updated_at: DateTime<Utc>,
}

impl Node for Alert {
    const COLUMNS: &'static [(&'static str, &'static str)] = &[
        ("id", "id"),
        ("owner", "owner"),
        ("dseq", "dseq"),
        ("name", "name"),
        ("note", "note"),
        ("metric", "metric"),
        ("comparator", "comparator"),
        ("threshold::text", "threshold"),
        ("webhook_url", "webhook_url"),
        ("enabled", "enabled"),
        ("disabled_reason", "disabled_reason"),
        ("state", "state"),
        ("last_value::text", "last_value"),
        ("last_height", "last_height"),
        ("created_at", "created_at"),
        ("updated_at", "updated_at"),
    ];

    fn from_row(row: &Row) -> Result<Self, ApiError> {
        Ok(Alert {
            id: row.try_get("id")?,
            owner: row.try_get("owner")?,
            dseq: row.try_get("dseq")?,
            name: row.try_get("name")?,
            note: row.try_get("note")?,
            metric: parse::<rule::Metric>(row, "metric")?.into(),
            comparator: parse::<rule::Comparator>(row, "comparator")?.into(),
            threshold: row.try_get("threshold")?,
            webhook_url: row.try_get("webhook_url")?,
            enabled: row.try_get("enabled")?,
            disabled_reason: row.try_get("disabled_reason")?,
            state: parse::<rule::AlertState>(row, "state")?.into(),
            last_value: row.try_get("last_value")?,
            last_height: row.try_get("last_height")?,
            created_at: row.try_get("created_at")?,
            updated_at: row.try_get("updated_at")?,
        })
    }
}

/// `SELECT` list of an alert (aliased by field name), for `RETURNING` and single reads.
pub fn alert_columns() -> String {
    Alert::COLUMNS
        .iter()
        .map(|(e, f)| format!("{e} AS \"{f}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

const ALERTS: Keyset = Keyset {
    entity: "alert",
    table: "alert",
    key: &[("id", KeyType::Big)],
};

const DELIVERIES: Keyset = Keyset {
    entity: "alert_delivery",
    table: "alert_delivery",
    key: &[
        ("block_height", KeyType::Big),
        ("delivery_id", KeyType::Text),
    ],
};

#[ComplexObject]
impl Alert {
    /// Its deliveries (one per transition), oldest first, each with its attempts.
    #[graphql(complexity = "connection::page_cost(first, last, child_complexity)")]
    async fn deliveries(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<Conn<Delivery>> {
        let state = ctx.data::<ApiState>()?;
        let mut w = Where::default();
        w.eq("alert_id", Some(Param::Big(self.id)));
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        Ok(connection::page::<Delivery>(
            state,
            &DELIVERIES,
            w,
            args,
            false,
            &connection::Selected::All,
        )
        .await?)
    }
}

/// A webhook delivery of one transition (the outbox row).
#[derive(SimpleObject, Clone, Debug)]
#[graphql(complex)]
pub struct Delivery {
    /// Its id: the same for every attempt (receivers dedupe by it).
    pub delivery_id: String,
    /// Height of the transition.
    pub block_height: i64,
    /// The state the alert moved to.
    pub state: AlertState,
    /// The JSON body POSTed, as text.
    pub body: String,
    /// When it was queued.
    pub created_at: DateTime<Utc>,
    /// Attempts made.
    pub attempts: i32,
    /// When it is attempted next (while neither delivered nor given up).
    pub next_attempt_at: DateTime<Utc>,
    /// When a receiver accepted it.
    pub delivered_at: Option<DateTime<Utc>>,
    /// When it was given up.
    pub gave_up_at: Option<DateTime<Utc>>,
    /// The last failure.
    pub last_error: Option<String>,
}

impl Node for Delivery {
    const COLUMNS: &'static [(&'static str, &'static str)] = &[
        ("delivery_id", "delivery_id"),
        ("block_height", "block_height"),
        ("state", "state"),
        ("body::text", "body"),
        ("created_at", "created_at"),
        ("attempts", "attempts"),
        ("next_attempt_at", "next_attempt_at"),
        ("delivered_at", "delivered_at"),
        ("gave_up_at", "gave_up_at"),
        ("last_error", "last_error"),
    ];

    fn from_row(row: &Row) -> Result<Self, ApiError> {
        Ok(Delivery {
            delivery_id: row.try_get("delivery_id")?,
            block_height: row.try_get("block_height")?,
            state: parse::<rule::AlertState>(row, "state")?.into(),
            body: row.try_get("body")?,
            created_at: row.try_get("created_at")?,
            attempts: row.try_get("attempts")?,
            next_attempt_at: row.try_get("next_attempt_at")?,
            delivered_at: row.try_get("delivered_at")?,
            gave_up_at: row.try_get("gave_up_at")?,
            last_error: row.try_get("last_error")?,
        })
    }
}

/// One attempt at a delivery.
#[derive(SimpleObject, Clone, Debug)]
pub struct DeliveryAttempt {
    /// 1 for the first.
    pub attempt: i32,
    /// When it was made.
    pub at: DateTime<Utc>,
    /// The receiver's HTTP status, if it answered.
    pub status: Option<i32>,
    /// Why it failed (none: delivered).
    pub error: Option<String>,
}

#[ComplexObject]
impl Delivery {
    /// Every attempt, in order: the delivery log.
    async fn log(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<DeliveryAttempt>> {
        let state = ctx.data::<ApiState>()?;
        let client = state.read.get().await.map_err(ApiError::from)?;
        let rows = client
            .query(
                "SELECT attempt, at, status, error FROM alert_delivery_attempt
                 WHERE delivery_id = $1 ORDER BY attempt",
                &[&self.delivery_id],
            )
            .await
            .map_err(ApiError::from)?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.push(DeliveryAttempt {
                attempt: r.try_get(0).map_err(ApiError::from)?,
                at: r.try_get(1).map_err(ApiError::from)?,
                status: r.try_get(2).map_err(ApiError::from)?,
                error: r.try_get(3).map_err(ApiError::from)?,
            });
        }
        Ok(out)
    }
}

/// The alert fields of `Query` (authenticated by an API key).
#[derive(Default)]
pub struct AlertQuery;

#[Object]
impl AlertQuery {
    /// The alerts the request's API key may act on (every alert for a key of all owners), by
    /// account if `owner` / `dseq` are given.
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "connection::page_cost(first, last, child_complexity)")]
    async fn alerts(
        &self,
        ctx: &Context<'_>,
        owner: Option<String>,
        dseq: Option<i64>,
        #[graphql(default)] order_by: KeyOrder,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<Conn<Alert>> {
        let (state, key) = api_key(ctx).await?;
        if let Some(o) = &owner {
            may_act_for(&key, o)?;
        }
        let mut w = Where::default();
        w.eq("owner", key.owner.clone().map(Param::Text));
        w.eq("owner", owner.map(Param::Text));
        w.eq("dseq", dseq.map(Param::Big));
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        Ok(connection::page::<Alert>(
            &state,
            &ALERTS,
            w,
            args,
            order_by.into(),
            &connection::Selected::All,
        )
        .await?)
    }

    /// One alert, with its state and deliveries.
    async fn alert(&self, ctx: &Context<'_>, id: i64) -> async_graphql::Result<Alert> {
        let (state, key) = api_key(ctx).await?;
        let client = state.read.get().await.map_err(ApiError::from)?;
        let row = client
            .query_opt(
                &format!("SELECT {} FROM alert WHERE id = $1", alert_columns()),
                &[&id],
            )
            .await
            .map_err(ApiError::from)?
            .ok_or_else(|| ApiError::NotFound(format!("no alert {id}")))?;
        let alert = Alert::from_row(&row)?;
        may_act_for(&key, &alert.owner)?;
        Ok(alert)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn graphql_names_are_the_rule_names_in_graphql_case() {
        use async_graphql::EnumType;
        fn names<T: EnumType>() -> Vec<String> {
            T::items().iter().map(|i| i.name.to_string()).collect()
        }
        let upper = |v: Vec<&str>| -> Vec<String> { v.iter().map(|s| s.to_uppercase()).collect() };
        assert_eq!(
            names::<AlertMetric>(),
            upper(rule::Metric::ALL.iter().map(|m| m.as_str()).collect())
        );
        assert_eq!(
            names::<AlertComparator>(),
            upper(rule::Comparator::ALL.iter().map(|m| m.as_str()).collect())
        );
        assert_eq!(
            names::<AlertState>(),
            upper(rule::AlertState::ALL.iter().map(|m| m.as_str()).collect())
        );
        for m in rule::Metric::ALL {
            assert_eq!(rule::Metric::from(AlertMetric::from(*m)), *m);
        }
    }
}
