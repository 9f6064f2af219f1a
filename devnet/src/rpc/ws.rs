//! `/websocket`: JSON-RPC over a websocket with CometBFT's `subscribe`, `unsubscribe` and
//! `unsubscribe_all` (`rpc/core/events.go`), plus every ordinary method. Events go out as
//! `{"jsonrpc":"2.0","id":<subscribe id>,"result":{"query":<as sent>,"data":{..},"events":{..}}}`:
//! `NewBlock` first, then one `Tx` per tx, as CometBFT's `fireEvents`. A connection that falls
//! more than the store's event capacity behind gets CometBFT's "subscription was canceled" error
//! for each subscription and is closed (blocks of the simulated history are not announced, see
//! [`crate::node::store`], so only live blocks count). Pings are answered by the websocket layer
//! as long as the connection is polled, which this loop always does.

use std::sync::Arc;

use axum::extract::ws::{Message, WebSocket};
use futures::stream::{SplitSink, SplitStream};
use futures::{SinkExt, StreamExt};
use serde_json::Value;
use tokio::sync::broadcast::error::RecvError;

use super::endpoint::{self, Context, MAX_QUERY_LENGTH};
use super::events::{new_block_event_map, tx_event_map};
use super::jsonrpc::{self, RpcError};
use super::method::Method;
use super::query::{EventMap, Query};
use super::wire;
use crate::node::SealedBlock;

/// CometBFT's default `max_subscriptions_per_client`.
const MAX_SUBSCRIPTIONS: usize = 5;

struct Subscription {
    id_json: String,
    text: String,
    query: Query,
}

/// Why the connection loop ends.
enum Exit {
    /// The peer went away or a write failed.
    Gone,
    /// A fault asked for an abrupt drop.
    Dropped,
}

struct Conn {
    sink: SplitSink<WebSocket, Message>,
    ctx: Arc<Context>,
    subs: Vec<Subscription>,
    sent: u64,
}

impl Conn {
    /// Sends one text frame, honouring the latency and drop-after-N faults.
    async fn send(&mut self, text: String) -> Result<(), Exit> {
        let latency = self.ctx.faults.latency();
        if !latency.is_zero() {
            tokio::time::sleep(latency).await;
        }
        self.sink
            .send(Message::Text(text.into()))
            .await
            .map_err(|_| Exit::Gone)?;
        self.sent += 1;
        let budget = self.ctx.faults.ws_drop_after();
        if budget > 0 && self.sent >= budget {
            return Err(Exit::Dropped);
        }
        Ok(())
    }

    async fn on_text(&mut self, text: &str) -> Result<(), Exit> {
        let value: Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => {
                let err = RpcError::parse(format!("error unmarshaling request: {e}"));
                return self.send(jsonrpc::failure(None, &err)).await;
            }
        };
        let items = match value {
            Value::Array(items) => items,
            single => vec![single],
        };
        for item in items {
            let req = match jsonrpc::request(item) {
                Ok(r) => r,
                Err((id, err)) => {
                    self.send(jsonrpc::failure(id.as_deref(), &err)).await?;
                    continue;
                }
            };
            let Some(id) = req.id_json else { continue };
            let outcome = match req.method.parse::<Method>() {
                Ok(Method::Subscribe) => self.subscribe(&id, req.params),
                Ok(Method::Unsubscribe) => self.unsubscribe(req.params),
                Ok(Method::UnsubscribeAll) => self.unsubscribe_all(),
                Ok(other) => endpoint::call(&self.ctx, other, req.params).await,
                Err(_) => Err(RpcError::method_not_found()),
            };
            let reply = match outcome {
                Ok(result) => jsonrpc::success(&id, &result),
                Err(err) => jsonrpc::failure(Some(&id), &err),
            };
            self.send(reply).await?;
        }
        Ok(())
    }

    fn query_param(method: Method, mut params: jsonrpc::Params) -> Result<String, RpcError> {
        params.name_positional(method.params())?;
        Ok(params.string("query")?.unwrap_or_default())
    }

    fn subscribe(&mut self, id: &str, params: jsonrpc::Params) -> Result<String, RpcError> {
        let text = Self::query_param(Method::Subscribe, params)?;
        if self.subs.len() >= MAX_SUBSCRIPTIONS {
            return Err(RpcError::internal(format!(
                "max_subscriptions_per_client {MAX_SUBSCRIPTIONS} reached"
            )));
        }
        if text.len() > MAX_QUERY_LENGTH {
            return Err(RpcError::internal("maximum query length exceeded"));
        }
        let query = Query::parse(&text)
            .map_err(|e| RpcError::internal(format!("failed to parse query: {e}")))?;
        if self.subs.iter().any(|s| s.text == text) {
            return Err(RpcError::internal("already subscribed"));
        }
        self.subs.push(Subscription {
            id_json: id.to_string(),
            text,
            query,
        });
        Ok("{}".into())
    }

    fn unsubscribe(&mut self, params: jsonrpc::Params) -> Result<String, RpcError> {
        let text = Self::query_param(Method::Unsubscribe, params)?;
        Query::parse(&text)
            .map_err(|e| RpcError::internal(format!("failed to parse query: {e}")))?;
        let before = self.subs.len();
        self.subs.retain(|s| s.text != text);
        if self.subs.len() == before {
            return Err(RpcError::internal("subscription not found"));
        }
        Ok("{}".into())
    }

    fn unsubscribe_all(&mut self) -> Result<String, RpcError> {
        if self.subs.is_empty() {
            return Err(RpcError::internal("subscription not found"));
        }
        self.subs.clear();
        Ok("{}".into())
    }

    /// Publishes `NewBlock` then each `Tx` of `block` to the matching subscriptions.
    async fn on_block(&mut self, block: &SealedBlock) -> Result<(), Exit> {
        if self.subs.is_empty() {
            return Ok(());
        }
        let app_version = self.ctx.store.config().app_version;
        let data = wire::event_data(
            "tendermint/event/NewBlock",
            wire::new_block_event(block, app_version),
        );
        self.publish(&new_block_event_map(block), &data).await?;
        for i in 0..block.txs.len() {
            if let Some(value) = wire::tx_event(block, i) {
                let data = wire::event_data("tendermint/event/Tx", value);
                self.publish(&tx_event_map(block, i), &data).await?;
            }
        }
        Ok(())
    }

    async fn publish<T: serde::Serialize>(
        &mut self,
        events: &EventMap,
        data: &T,
    ) -> Result<(), Exit> {
        let targets: Vec<(String, String)> = self
            .subs
            .iter()
            .filter(|s| s.query.matches(events))
            .map(|s| (s.id_json.clone(), s.text.clone()))
            .collect();
        if targets.is_empty() {
            return Ok(());
        }
        let (Ok(data_json), Ok(events_json)) =
            (serde_json::to_string(data), serde_json::to_string(events))
        else {
            return Ok(());
        };
        for (id, text) in targets {
            let query_json = Value::String(text).to_string();
            let result =
                format!(r#"{{"query":{query_json},"data":{data_json},"events":{events_json}}}"#);
            self.send(jsonrpc::success(&id, &result)).await?;
        }
        Ok(())
    }

    /// CometBFT's answer to a subscriber that cannot keep up: an error per subscription.
    async fn cancel_slow(&mut self) -> Result<(), Exit> {
        let err = RpcError::server(
            "subscription was canceled (reason: client is not pulling messages fast enough)",
        );
        let ids: Vec<String> = self.subs.iter().map(|s| s.id_json.clone()).collect();
        for id in ids {
            self.send(jsonrpc::failure(Some(&id), &err)).await?;
        }
        Ok(())
    }
}

/// Serves one websocket connection until it closes, lags or a fault drops it.
pub async fn run(socket: WebSocket, ctx: Arc<Context>) {
    let (sink, mut stream): (_, SplitStream<WebSocket>) = socket.split();
    let mut blocks = ctx.store.subscribe();
    let mut drops = ctx.faults.ws_drop_signal();
    let mut conn = Conn {
        sink,
        ctx: Arc::clone(&ctx),
        subs: Vec::new(),
        sent: 0,
    };
    let exit = loop {
        let step = tokio::select! {
            msg = stream.next() => match msg {
                Some(Ok(Message::Text(text))) => conn.on_text(text.as_str()).await,
                Some(Ok(Message::Binary(bytes))) => match std::str::from_utf8(&bytes) {
                    Ok(text) => conn.on_text(text).await,
                    Err(_) => Ok(()),
                },
                Some(Ok(Message::Ping(_) | Message::Pong(_))) => Ok(()),
                Some(Ok(Message::Close(_))) | Some(Err(_)) | None => Err(Exit::Gone),
            },
            block = blocks.recv() => match block {
                Ok(block) => conn.on_block(&block).await,
                Err(RecvError::Lagged(_)) if !conn.subs.is_empty() => {
                    match conn.cancel_slow().await {
                        Ok(()) => {
                            let _ = conn.sink.send(Message::Close(None)).await;
                            Err(Exit::Gone)
                        }
                        Err(e) => Err(e),
                    }
                }
                Err(RecvError::Lagged(_)) => Ok(()),
                Err(RecvError::Closed) => Err(Exit::Gone),
            },
            _ = drops.changed() => Err(Exit::Dropped),
        };
        if let Err(exit) = step {
            break exit;
        }
    };
    if matches!(exit, Exit::Dropped) {
        ctx.faults.note_ws_dropped();
    }
    // Dropping both halves closes the TCP connection without a close frame for `Dropped`.
}
