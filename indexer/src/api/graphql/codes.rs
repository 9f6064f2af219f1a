//! Every GraphQL error carries `extensions.code`: resolvers' errors get theirs from `ApiError`;
//! [`execute`] parses the document itself (`GRAPHQL_PARSE_FAILED`) and [`with_codes`] tags what
//! async-graphql refused (validation, limits) and anything left (an argument that does not
//! parse). Websocket subscriptions, whose transport has no hook on responses, tag parse and
//! validation errors with the [`ErrorCodes`] extension instead.

use std::sync::Arc;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextValidation,
};
use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{Executor, ServerError, ServerResult, ValidationResult, Variables};

use crate::api::ApiError;

/// Parsed documents by query text: dapps send the same few queries again and again, and parsing
/// one is a tenth of the cost of a small page. Bounded in entries and in query length.
#[derive(Default)]
pub struct Documents(std::sync::Mutex<std::collections::HashMap<String, ExecutableDocument>>);

impl Documents {
    /// Most documents kept (the map is emptied when full: a working set is relearned at once).
    const MAX_ENTRIES: usize = 512;
    /// Longer queries are parsed every time.
    const MAX_QUERY_BYTES: usize = 8192;

    /// `request` with its document parsed (from the cache when its text was seen before).
    fn parse(&self, request: &mut async_graphql::Request) -> Result<(), ServerError> {
        let cacheable = request.query.len() <= Self::MAX_QUERY_BYTES;
        if cacheable {
            let cached = self
                .0
                .lock()
                .ok()
                .and_then(|m| m.get(&request.query).cloned());
            if let Some(doc) = cached {
                request.set_parsed_query(doc);
                return Ok(());
            }
        }
        let doc = request.parsed_query()?.clone();
        if cacheable {
            if let Ok(mut m) = self.0.lock() {
                if m.len() >= Self::MAX_ENTRIES {
                    m.clear();
                }
                m.insert(request.query.clone(), doc);
            }
        }
        Ok(())
    }
}

/// Parses `request` (a syntax error is `GRAPHQL_PARSE_FAILED`), executes it and tags its errors.
pub async fn execute(
    schema: &impl Executor,
    documents: &Documents,
    mut request: async_graphql::Request,
) -> async_graphql::Response {
    if let Err(e) = documents.parse(&mut request) {
        return async_graphql::Response::from_errors(vec![tag(e, "GRAPHQL_PARSE_FAILED")]);
    }
    with_codes(schema.execute(request).await)
}

/// The code of an error async-graphql raised before executing a parsed document.
fn request_error_code(message: &str) -> &'static str {
    // async-graphql reports its limits and operation choice with these fixed messages.
    match message {
        "Query is nested too deep." => "DEPTH_LIMIT_EXCEEDED",
        "Query is too complex." => "COMPLEXITY_LIMIT_EXCEEDED",
        "Operation name required in request." => "BAD_REQUEST",
        m if m.starts_with("Unknown operation named") => "BAD_REQUEST",
        _ => "GRAPHQL_VALIDATION_FAILED",
    }
}

/// Installs the tagging extension on a schema (websocket subscriptions only: see the module).
pub struct ErrorCodes;

impl ExtensionFactory for ErrorCodes {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(Tagger)
    }
}

struct Tagger;

#[async_graphql::async_trait::async_trait]
impl Extension for Tagger {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        next.run(ctx, query, variables)
            .await
            .map_err(|e| tag(e, "GRAPHQL_PARSE_FAILED"))
    }

    async fn validation(
        &self,
        ctx: &ExtensionContext<'_>,
        next: NextValidation<'_>,
    ) -> Result<ValidationResult, Vec<ServerError>> {
        next.run(ctx).await.map_err(|errors| {
            errors
                .into_iter()
                .map(|e| {
                    let code = request_error_code(&e.message);
                    tag(e, code)
                })
                .collect()
        })
    }
}

/// `e` with `extensions.code` = `code` unless it has one.
pub fn tag(mut e: ServerError, code: &str) -> ServerError {
    let ext = e.extensions.get_or_insert_with(Default::default);
    if ext.get("code").is_none() {
        ext.set("code", code);
    }
    e
}

/// Tags the errors of a response still without a code. An `ApiError` (or a database error) that
/// a resolver returned with `?` is kept as the error's source: its code and public message are
/// used (a database error's text is logged, not sent). Other errors raised while resolving a
/// field (it has a path: an argument that does not parse) are bad input; those without a path
/// were raised before execution (validation, limits, the operation's name).
pub fn with_codes(mut response: async_graphql::Response) -> async_graphql::Response {
    response.errors = std::mem::take(&mut response.errors)
        .into_iter()
        .map(|mut e| {
            if e.extensions
                .as_ref()
                .is_some_and(|x| x.get("code").is_some())
            {
                return e;
            }
            match known(&e) {
                Some((code, message)) => {
                    e.message = message;
                    tag(e, code)
                }
                None if e.path.is_empty() => {
                    let code = request_error_code(&e.message);
                    tag(e, code)
                }
                None => tag(e, "BAD_USER_INPUT"),
            }
        })
        .collect();
    response
}

/// The code and public message of an error whose source is one of ours or the database's.
fn known(e: &ServerError) -> Option<(&'static str, String)> {
    if let Some(api) = e.source::<ApiError>() {
        if let ApiError::Db(cause) = api {
            tracing::error!(error = %cause, "graphql query failed");
        }
        return Some((api.code(), api.public_message()));
    }
    if let Some(db) = e.source::<tokio_postgres::Error>() {
        tracing::error!(error = %db, "graphql query failed");
        let timeout = db.code() == Some(&tokio_postgres::error::SqlState::QUERY_CANCELED);
        return Some(if timeout {
            (
                "QUERY_TIMEOUT",
                "the query ran past its time limit".to_string(),
            )
        } else {
            ("INTERNAL", "database error".to_string())
        });
    }
    if e.source::<deadpool_postgres::PoolError>().is_some() {
        return Some(("UNAVAILABLE", "database unavailable".to_string()));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn codes(request: impl Fn() -> async_graphql::Request) -> Vec<String> {
        let documents = Documents::default();
        let schema = crate::api::graphql::schema(None);
        // Twice: parsed, then (when it parses) from the cache; the answers are the same.
        let response = execute(&schema, &documents, request()).await;
        let again = execute(&schema, &documents, request()).await;
        assert_eq!(
            serde_json::to_string(&response).unwrap(),
            serde_json::to_string(&again).unwrap()
        );
        response
            .errors
            .iter()
            .map(|e| {
                let code = e.extensions.as_ref().and_then(|x| x.get("code"));
                match code {
                    Some(async_graphql::Value::String(s)) => s.clone(),
                    other => format!("{other:?}"),
                }
            })
            .collect()
    }

    #[tokio::test]
    async fn errors_raised_before_execution_carry_their_codes() {
        let two = "query A { _meta { healthy } } query B { _meta { healthy } }";
        let request = |query: &'static str, name: Option<&'static str>| {
            move || {
                let r = async_graphql::Request::new(query);
                match name {
                    Some(n) => r.operation_name(n),
                    None => r,
                }
            }
        };
        let cases = [
            (request("{ blocks {", None), "GRAPHQL_PARSE_FAILED"),
            (request("{ nope }", None), "GRAPHQL_VALIDATION_FAILED"),
            (request(two, None), "BAD_REQUEST"),
            (request(two, Some("C")), "BAD_REQUEST"),
        ];
        for (request, code) in cases {
            let query = request().query;
            assert_eq!(codes(request).await, vec![code.to_string()], "{query}");
        }
    }
}
