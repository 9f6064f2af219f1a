//! POST (and GET) `/graphql` as GraphQL-over-HTTP: the query runs under the query-time limit,
//! every error leaves with `extensions.code`; request errors (parse, validation, limits) are
//! 400 for clients that accept `application/graphql-response+json`, 200 for plain JSON clients.
//! A browser (`Accept: text/html`) GETs GraphiQL; other successful GETs are marked cacheable.

use std::time::{Duration, Instant};

use async_graphql::http::GraphiQLSource;
use async_graphql::{ServerError, Value};
use async_graphql_axum::{GraphQLRequest, GraphQLResponse};
use axum::extract::{FromRequest, Request, State};
use axum::http::header::{ACCEPT, CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::{Extension, Json};

use super::auth::Bearer;
use super::codes::{execute, tag};
use super::ApiSchema;
use crate::api::ApiState;

/// The schema and its time limit, shared by the handlers.
#[derive(Clone)]
pub struct GraphqlService {
    /// The schema with its limits and the state resolvers read.
    pub schema: ApiSchema,
    /// A query still running after this is answered with `QUERY_TIMEOUT`.
    pub query_timeout: Duration,
    /// `max-age` of successful GET queries (a GET is read-only; POSTs are not cached).
    pub cache_max_age: u32,
    /// Parsed documents by query text.
    pub documents: std::sync::Arc<super::codes::Documents>,
}

/// A request body or query string that is not a GraphQL request: 400 with a code.
pub struct BadRequest(String);

impl From<async_graphql::ParseRequestError> for BadRequest {
    fn from(e: async_graphql::ParseRequestError) -> Self {
        BadRequest(e.to_string())
    }
}

impl IntoResponse for BadRequest {
    fn into_response(self) -> Response {
        let body = serde_json::json!({
            "errors": [{ "message": self.0, "extensions": { "code": "BAD_REQUEST" } }]
        });
        (StatusCode::BAD_REQUEST, Json(body)).into_response()
    }
}

/// `GET|POST /graphql`.
pub async fn handler(
    State(state): State<ApiState>,
    Extension(service): Extension<GraphqlService>,
    request: Request,
) -> Response {
    let headers = request.headers().clone();
    let get = request.method() == Method::GET;
    let accept = accept(&headers);
    if get && accept.contains("text/html") {
        return Html(GraphiQLSource::build().endpoint("/graphql").finish()).into_response();
    }
    let mut gql = match GraphQLRequest::<BadRequest>::from_request(request, &()).await {
        Ok(r) => r.into_inner(),
        Err(e) => return e.into_response(),
    };
    if get && gql.parsed_query().is_ok_and(has_mutation) {
        // GraphQL over HTTP: a GET never changes anything (it may be cached or prefetched).
        let body = serde_json::json!({
            "errors": [{ "message": "mutations are only accepted over POST",
                         "extensions": { "code": "MUTATION_OVER_GET" } }]
        });
        return (StatusCode::METHOD_NOT_ALLOWED, Json(body)).into_response();
    }
    let authenticated = match Bearer::of(&headers) {
        Some(key) => {
            gql = gql.data(key);
            true
        }
        None => false,
    };
    let started = Instant::now();
    let response = match tokio::time::timeout(
        service.query_timeout,
        execute(&service.schema, &service.documents, gql),
    )
    .await
    {
        Ok(r) => r,
        Err(_) => async_graphql::Response::from_errors(vec![tag(
            ServerError::new(
                format!(
                    "the query ran past its time limit of {} ms",
                    service.query_timeout.as_millis()
                ),
                None,
            ),
            "QUERY_TIMEOUT",
        )]),
    };
    let outcome = if response.errors.is_empty() {
        "ok"
    } else {
        "error"
    };
    state
        .metrics
        .graphql_seconds
        .with_label_values(&[outcome])
        .observe(started.elapsed().as_secs_f64());
    let request_error = response.data == Value::Null && !response.errors.is_empty();
    // An answer for one key's holder is nobody else's.
    let cacheable = get && response.errors.is_empty() && !authenticated;
    let mut out = GraphQLResponse::from(response).into_response();
    if accept.contains("application/graphql-response+json") {
        if request_error {
            *out.status_mut() = StatusCode::BAD_REQUEST;
        }
    } else {
        // Legacy clients get `application/json` and 200, as GraphQL-over-HTTP prescribes.
        out.headers_mut()
            .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    }
    if cacheable {
        if let Ok(v) = HeaderValue::from_str(&format!("public, max-age={}", service.cache_max_age))
        {
            out.headers_mut().insert(CACHE_CONTROL, v);
        }
    }
    out
}

/// Whether `doc` declares a mutation.
fn has_mutation(doc: &async_graphql::parser::types::ExecutableDocument) -> bool {
    doc.operations
        .iter()
        .any(|(_, op)| op.node.ty == async_graphql::parser::types::OperationType::Mutation)
}

fn accept(headers: &HeaderMap) -> String {
    headers
        .get(ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase()
}
