//! API errors: typed, with a stable machine-readable code, mapped to an HTTP status for REST and
//! to `extensions.code` for GraphQL. Bad input is never a 500.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// Why a request could not be answered.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request is wrong (bad cursor, filter, range, group-by, metric name…): 400.
    #[error("{message}")]
    BadInput {
        /// SCREAMING_SNAKE code clients match on.
        code: &'static str,
        /// What was wrong, for people.
        message: String,
    },
    /// No API key, or one that is unknown or revoked: 401.
    #[error("{0}")]
    Unauthenticated(String),
    /// The key may not act on this owner's accounts: 403.
    #[error("{0}")]
    Forbidden(String),
    /// The thing asked for does not exist: 404.
    #[error("{0}")]
    NotFound(String),
    /// The indexer cannot answer yet (backfilling, database unreachable): 503.
    #[error("{0}")]
    Unavailable(String),
    /// Stored data the API cannot read back (a bug, not bad input): 500 with the cause logged.
    #[error("internal error")]
    Internal(String),
    /// A query failed in the database: 500 with the cause logged, not leaked.
    #[error("database error")]
    Db(#[from] tokio_postgres::Error),
    /// No connection could be taken from the pool: 503.
    #[error("database unavailable")]
    Pool(#[from] deadpool_postgres::PoolError),
    /// The query ran past the time limit (`statement_timeout` or the request's own): 503.
    #[error("{0}")]
    TimedOut(String),
}

impl ApiError {
    /// A 400 with `code` (SCREAMING_SNAKE) and a message saying what was wrong.
    pub fn bad_input(code: &'static str, message: impl Into<String>) -> Self {
        ApiError::BadInput {
            code,
            message: message.into(),
        }
    }

    /// The stable code clients match on.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::BadInput { code, .. } => code,
            ApiError::Unauthenticated(_) => "UNAUTHENTICATED",
            ApiError::Forbidden(_) => "FORBIDDEN",
            ApiError::NotFound(_) => "NOT_FOUND",
            ApiError::Unavailable(_) | ApiError::Pool(_) => "UNAVAILABLE",
            ApiError::Db(e) if is_timeout(e) => "QUERY_TIMEOUT",
            ApiError::TimedOut(_) => "QUERY_TIMEOUT",
            ApiError::Db(_) | ApiError::Internal(_) => "INTERNAL",
        }
    }

    /// The HTTP status of this error.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::BadInput { .. } => StatusCode::BAD_REQUEST,
            ApiError::Unauthenticated(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Unavailable(_) | ApiError::Pool(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Db(e) if is_timeout(e) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::TimedOut(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Db(_) | ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The message clients see: a statement cancelled by `statement_timeout` says so.
    pub fn public_message(&self) -> String {
        match self {
            ApiError::Db(e) if is_timeout(e) => "the query ran past its time limit".to_string(),
            _ => self.to_string(),
        }
    }
}

/// Whether Postgres cancelled the statement (`statement_timeout`): the query was too costly,
/// not broken.
fn is_timeout(e: &tokio_postgres::Error) -> bool {
    e.code() == Some(&tokio_postgres::error::SqlState::QUERY_CANCELED)
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Db(e) = &self {
            tracing::error!(error = %e, "api query failed");
        }
        if let ApiError::Internal(e) = &self {
            tracing::error!(error = %e, "api internal error");
        }
        let body = serde_json::json!({ "error": { "code": self.code(), "message": self.public_message() } });
        (self.status(), axum::Json(body)).into_response()
    }
}

/// GraphQL resolvers return `Err(e.extend())` so the error carries `extensions.code`. A plain
/// `?` goes through async-graphql's blanket `From<Display>`, which keeps the error as the
/// source: `graphql::codes::with_codes` reads the code back from it, so that works too.
impl async_graphql::ErrorExtensions for ApiError {
    fn extend(&self) -> async_graphql::Error {
        if let ApiError::Db(cause) = self {
            tracing::error!(error = %cause, "graphql query failed");
        }
        if let ApiError::Internal(cause) = self {
            tracing::error!(error = %cause, "graphql internal error");
        }
        let code = self.code();
        async_graphql::Error::new(self.public_message()).extend_with(|_, ext| ext.set("code", code))
    }
}
