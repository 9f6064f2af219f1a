//! HTTP transport on axum 0.8: `POST /` JSON-RPC (single or batch), `GET /<method>?arg=..` URI
//! style, `GET /websocket`, and the fault layer in front of all of them. Status codes follow
//! CometBFT's `rpc/jsonrpc/server`: JSON-RPC answers (errors included) are 200 on `POST /`,
//! a body that is not JSON is 500, URI-style errors are 500, unknown paths are 404.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde_json::Value;

use super::endpoint::{self, Context};
use super::faults::FaultKind;
use super::jsonrpc::{self, Params, RpcError, URI_ID};
use super::method::Method;
use super::ws;

/// The router for `ctx`.
pub fn router(ctx: Arc<Context>) -> Router {
    Router::new()
        .route("/", post(post_root).get(index))
        .route("/websocket", get(websocket))
        .route("/{method}", get(get_method))
        .layer(middleware::from_fn_with_state(
            Arc::clone(&ctx),
            fault_layer,
        ))
        .with_state(ctx)
}

fn json_response(status: StatusCode, body: String) -> Response {
    let mut resp = (status, body).into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    resp
}

async fn index() -> Response {
    let mut text = String::from("Available endpoints:\n");
    for method in Method::ALL {
        let query: Vec<String> = method.params().iter().map(|a| format!("{a}=_")).collect();
        text.push_str(&format!("//localhost:26657/{method}?{}\n", query.join("&")));
    }
    text.into_response()
}

async fn post_root(State(ctx): State<Arc<Context>>, body: Bytes) -> Response {
    if body.is_empty() {
        return index().await;
    }
    let value: Value = match serde_json::from_slice(&body) {
        Ok(v) => v,
        Err(e) => {
            let err = RpcError::parse(format!("error unmarshaling request: {e}"));
            return json_response(
                StatusCode::INTERNAL_SERVER_ERROR,
                jsonrpc::failure(None, &err),
            );
        }
    };
    match value {
        Value::Array(items) => {
            let mut out = Vec::new();
            for item in items {
                if let Some(resp) = answer(&ctx, item).await {
                    out.push(resp);
                }
            }
            if out.is_empty() {
                return StatusCode::OK.into_response();
            }
            json_response(StatusCode::OK, format!("[{}]", out.join(",")))
        }
        single => match answer(&ctx, single).await {
            Some(resp) => json_response(StatusCode::OK, resp),
            None => StatusCode::OK.into_response(),
        },
    }
}

/// Answers one request object over HTTP; None for a notification (no id).
async fn answer(ctx: &Context, value: Value) -> Option<String> {
    let req = match jsonrpc::request(value) {
        Ok(r) => r,
        Err((id, err)) => return Some(jsonrpc::failure(id.as_deref(), &err)),
    };
    let id = req.id_json?;
    let method = match req.method.parse::<Method>() {
        Ok(m) if !m.websocket_only() => m,
        _ => return Some(jsonrpc::failure(Some(&id), &RpcError::method_not_found())),
    };
    Some(match endpoint::call(ctx, method, req.params).await {
        Ok(result) => jsonrpc::success(&id, &result),
        Err(err) => jsonrpc::failure(Some(&id), &err),
    })
}

async fn get_method(
    State(ctx): State<Arc<Context>>,
    Path(method): Path<String>,
    Query(query): Query<BTreeMap<String, String>>,
) -> Response {
    let Ok(method) = method.parse::<Method>() else {
        return (StatusCode::NOT_FOUND, "404 page not found\n").into_response();
    };
    if method.websocket_only() {
        let body = jsonrpc::failure(Some(URI_ID), &RpcError::method_not_found());
        return json_response(StatusCode::NOT_FOUND, body);
    }
    match endpoint::call(&ctx, method, Params::uri(query)).await {
        Ok(result) => json_response(StatusCode::OK, jsonrpc::success(URI_ID, &result)),
        Err(err) => json_response(
            StatusCode::INTERNAL_SERVER_ERROR,
            jsonrpc::failure(Some(URI_ID), &err),
        ),
    }
}

async fn websocket(State(ctx): State<Arc<Context>>, upgrade: WebSocketUpgrade) -> Response {
    upgrade.on_upgrade(move |socket| ws::run(socket, ctx))
}

/// Latency, 429 / 503 answers and truncated bodies, as configured in [`super::Faults`].
async fn fault_layer(State(ctx): State<Arc<Context>>, req: Request, next: Next) -> Response {
    let faults = &ctx.faults;
    let latency = faults.latency();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    if faults.roll(FaultKind::TooManyRequests) {
        let mut resp = (StatusCode::TOO_MANY_REQUESTS, "Too Many Requests\n").into_response();
        resp.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        return resp;
    }
    if faults.roll(FaultKind::ServerError) {
        return (StatusCode::SERVICE_UNAVAILABLE, "Service Unavailable\n").into_response();
    }
    let is_ws = req.uri().path() == "/websocket";
    let resp = next.run(req).await;
    if is_ws || !faults.roll(FaultKind::Truncate) {
        return resp;
    }
    let (mut parts, body) = resp.into_parts();
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(b) => b,
        Err(e) => {
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                format!("reading body: {e}"),
            )
                .into_response()
        }
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(bytes.slice(..bytes.len() / 2)))
}
