//! Subscriptions (graphql-transport-ws at `/graphql/ws`): new blocks, new catalogue events of a
//! contract (and action), an escrow account's balance, state and depletion. The writer's
//! `NOTIFY` (through `api::notify`) only wakes a subscription; it then reads the rows of the
//! heights after the last it sent from the read database, in chain order, so any `serve`
//! process delivers every row once and in order even if notifications coalesce or the replica
//! lags.

use std::collections::VecDeque;
use std::time::Duration;

use async_graphql::{Context, ErrorExtensions, Subscription};
use futures::Stream;
use tokio::sync::watch;

use super::chain::{Block, RawEvent};
use super::connection::Node;
use super::escrow::EscrowAccount;
use crate::api::sql::Param;
use crate::api::{ApiError, ApiState};

/// Most heights read by one query (a subscriber far behind catches up in steps).
const CHUNK: i64 = 100;
/// Wait for a replica that has not replayed an announced height yet.
const REPLICA_WAIT: Duration = Duration::from_millis(200);
/// Wait after a failed read before trying again.
const RETRY: Duration = Duration::from_secs(1);

/// Where a subscription stands: the last height it covered, and the announcements.
struct Tail {
    state: ApiState,
    heights: watch::Receiver<i64>,
    last: i64,
}

/// The last height committed in the read database.
async fn visible(state: &ApiState) -> Result<i64, ApiError> {
    let client = state.read.get().await?;
    let row = client
        .query_opt("SELECT block_height FROM sync_cursor", &[])
        .await?;
    Ok(match row {
        Some(r) => r.try_get(0)?,
        None => 0,
    })
}

impl Tail {
    /// A tail after `after` (default: the last committed height).
    async fn start(ctx: &Context<'_>, after: Option<i64>) -> Result<Tail, ApiError> {
        let state = ctx
            .data::<ApiState>()
            .map_err(|_| ApiError::Unavailable("no API state".into()))?
            .clone();
        let heights = state.heights.clone().ok_or_else(|| {
            ApiError::Unavailable("this server does not listen for new blocks".into())
        })?;
        if after.is_some_and(|h| h < 0) {
            return Err(ApiError::bad_input(
                "INVALID_HEIGHT",
                "afterHeight must not be negative",
            ));
        }
        let last = match after {
            Some(h) => h,
            None => visible(&state).await?,
        };
        Ok(Tail {
            state,
            heights,
            last,
        })
    }

    /// The next heights `(from, to]` committed and visible, waiting for announcements; `None`
    /// when the server stops listening.
    async fn next_range(&mut self) -> Option<(i64, i64)> {
        loop {
            let announced = *self.heights.borrow_and_update();
            if announced > self.last {
                match visible(&self.state).await {
                    Ok(v) if v > self.last => {
                        return Some((self.last, v.min(self.last.saturating_add(CHUNK))))
                    }
                    Ok(_) => tokio::time::sleep(REPLICA_WAIT).await,
                    Err(e) => {
                        tracing::warn!(error = %e, "subscription: cannot read the cursor");
                        tokio::time::sleep(RETRY).await;
                    }
                }
                continue;
            }
            self.heights.changed().await.ok()?;
        }
    }
}

/// `SELECT` list of `N`, aliased by field name.
fn select<N: Node>() -> String {
    N::COLUMNS
        .iter()
        .map(|(e, f)| format!("{e} AS \"{f}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Rows of `N` from `sql` (whose `$1`, `$2` bound the heights `(from, to]`, then `params`).
async fn fetch<N: Node>(
    state: &ApiState,
    sql: &str,
    from: i64,
    to: i64,
    params: &[Param],
) -> Result<Vec<N>, ApiError> {
    let client = state.read.get().await?;
    let (from, to) = (Param::Big(from), Param::Big(to));
    let mut refs: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> = vec![&from, &to];
    refs.extend(
        params
            .iter()
            .map(|p| p as &(dyn tokio_postgres::types::ToSql + Sync)),
    );
    let rows = client.query(sql, &refs).await?;
    rows.iter().map(N::from_row).collect()
}

/// Every row of `sql` for each new range of heights, in the order `sql` gives.
fn rows<N: Node + Send + 'static>(
    tail: Tail,
    sql: String,
    params: Vec<Param>,
) -> impl Stream<Item = N> {
    futures::stream::unfold((tail, VecDeque::<N>::new()), move |(mut tail, mut buf)| {
        let (sql, params) = (sql.clone(), params.clone());
        async move {
            loop {
                if let Some(n) = buf.pop_front() {
                    return Some((n, (tail, buf)));
                }
                let (from, to) = tail.next_range().await?;
                match fetch::<N>(&tail.state, &sql, from, to, &params).await {
                    Ok(found) => {
                        buf.extend(found);
                        tail.last = to;
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "subscription: read failed; retrying");
                        tokio::time::sleep(RETRY).await;
                    }
                }
            }
        }
    })
}

/// `UNKNOWN_EVENT` unless the catalogue has `contract` (and `action`).
fn event_filter(contract: &str, action: Option<&str>) -> Result<(String, Param), ApiError> {
    let known = supercloud_events::all_events()
        .any(|m| m.contract == contract && action.is_none_or(|a| a == m.action));
    if !known {
        let what = match action {
            Some(a) => format!("{contract}.{a}"),
            None => contract.to_string(),
        };
        return Err(ApiError::bad_input(
            "UNKNOWN_EVENT",
            format!("the catalogue has no event {what}"),
        ));
    }
    // `raw_event.type` is the event's type as delivered: `wasm-<contract>.<action>`.
    let prefix = supercloud_events::WASM_EVENT_PREFIX;
    Ok(match action {
        Some(a) => (
            "type = $3".into(),
            Param::Text(format!("{prefix}{contract}.{a}")),
        ),
        None => (
            "split_part(type, '.', 1) = $3".into(),
            Param::Text(format!("{prefix}{contract}")),
        ),
    })
}

/// The root subscription.
#[derive(Default)]
pub struct Subscription;

#[Subscription]
impl Subscription {
    /// Every block committed after `afterHeight` (default: now), in height order.
    async fn blocks(
        &self,
        ctx: &Context<'_>,
        after_height: Option<i64>,
    ) -> async_graphql::Result<impl Stream<Item = Block>> {
        let tail = Tail::start(ctx, after_height)
            .await
            .map_err(|e| e.extend())?;
        let sql = format!(
            "SELECT {} FROM block WHERE block_height > $1 AND block_height <= $2
             ORDER BY block_height",
            select::<Block>()
        );
        Ok(rows(tail, sql, Vec::new()))
    }

    /// Every event of catalogue contract `contract` (e.g. `escrow`), of `action` if given (e.g.
    /// `deposited`), committed after `afterHeight` (default: now), in chain order.
    async fn events(
        &self,
        ctx: &Context<'_>,
        contract: String,
        action: Option<String>,
        after_height: Option<i64>,
    ) -> async_graphql::Result<impl Stream<Item = RawEvent>> {
        let (clause, param) = event_filter(&contract, action.as_deref()).map_err(|e| e.extend())?;
        let tail = Tail::start(ctx, after_height)
            .await
            .map_err(|e| e.extend())?;
        let sql = format!(
            "SELECT {} FROM raw_event WHERE block_height > $1 AND block_height <= $2 AND {clause}
             ORDER BY block_height, phase, tx_index, event_index",
            select::<RawEvent>()
        );
        Ok(rows(tail, sql, vec![param]))
    }

    /// An escrow account now, then whenever its balance, state or predicted depletion changes
    /// (as of the end of each indexed batch of blocks).
    async fn account(
        &self,
        ctx: &Context<'_>,
        owner: String,
        dseq: i64,
    ) -> async_graphql::Result<impl Stream<Item = EscrowAccount>> {
        let tail = Tail::start(ctx, None).await.map_err(|e| e.extend())?;
        let sql = format!(
            "SELECT {} FROM escrow_account WHERE owner = $1 AND dseq = $2",
            select::<EscrowAccount>()
        );
        let params = [Param::Text(owner.clone()), Param::Big(dseq)];
        let read = |state: ApiState, sql: String, params: [Param; 2]| async move {
            let client = state.read.get().await?;
            let row = client.query_opt(&sql, &[&params[0], &params[1]]).await?;
            row.as_ref().map(EscrowAccount::from_row).transpose()
        };
        let first = read(tail.state.clone(), sql.clone(), params.clone())
            .await
            .map_err(|e: ApiError| e.extend())?
            .ok_or_else(|| {
                ApiError::bad_input(
                    "UNKNOWN_ACCOUNT",
                    format!("no escrow account {owner}/{dseq}"),
                )
                .extend()
            })?;
        let seen = |a: &EscrowAccount| (a.balance.clone(), a.state.clone(), a.depletes_at);
        let stream = futures::stream::unfold(
            (tail, Some(first), None),
            move |(mut tail, pending, mut last)| {
                let (sql, params) = (sql.clone(), params.clone());
                async move {
                    if let Some(a) = pending {
                        last = Some(seen(&a));
                        return Some((a, (tail, None, last)));
                    }
                    loop {
                        let (_, to) = tail.next_range().await?;
                        match read(tail.state.clone(), sql.clone(), params.clone()).await {
                            Ok(Some(a)) => {
                                tail.last = to;
                                if last.as_ref() != Some(&seen(&a)) {
                                    last = Some(seen(&a));
                                    return Some((a, (tail, None, last)));
                                }
                            }
                            Ok(None) => tail.last = to,
                            Err(e) => {
                                tracing::warn!(error = %e, "subscription: read failed; retrying");
                                tokio::time::sleep(RETRY).await;
                            }
                        }
                    }
                }
            },
        );
        Ok(stream)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_named_by_the_catalogue() {
        assert!(event_filter("escrow", Some("deposited")).is_ok());
        assert!(event_filter("escrow", None).is_ok());
        assert_eq!(
            event_filter("escrow", Some("nope")).unwrap_err().code(),
            "UNKNOWN_EVENT"
        );
        assert_eq!(
            event_filter("nope", None).unwrap_err().code(),
            "UNKNOWN_EVENT"
        );
    }
}
