//! Every GraphQL error carries `extensions.code`: resolvers' errors get theirs from `ApiError`;
//! this extension tags what async-graphql itself refuses (parse, validation, limits), and
//! `with_codes` tags anything left (an argument that does not parse).

use std::sync::Arc;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextParseQuery, NextValidation,
};
use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{ServerError, ServerResult, ValidationResult, Variables};

use crate::api::ApiError;

/// Installs the tagging extension on a schema.
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
                    // async-graphql reports its limits with these fixed messages.
                    let code = match e.message.as_str() {
                        "Query is nested too deep." => "DEPTH_LIMIT_EXCEEDED",
                        "Query is too complex." => "COMPLEXITY_LIMIT_EXCEEDED",
                        _ => "GRAPHQL_VALIDATION_FAILED",
                    };
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
/// field (it has a path: an argument that does not parse) are bad input, the rest bad requests.
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
                None if e.path.is_empty() => tag(e, "BAD_REQUEST"),
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
