//! CSV export of spend over HTTP: `GET /v1/export/spend.csv?from=&to=&groupBy=provider,owner&denom=`
//! answers the bytes `indexer export` writes ([`crate::stats::export::export`]).

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use serde::Deserialize;

use super::{ApiError, ApiState};
use crate::stats::export::{export, ExportArgs};

/// `/v1/export/...` routes.
pub fn router() -> Router<ApiState> {
    Router::new().route("/v1/export/spend.csv", get(spend_csv))
}

/// The query string (names as `indexer export`'s flags, `groupBy` camelCase as in GraphQL).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SpendParams {
    from: Option<String>,
    to: Option<String>,
    #[serde(alias = "group_by")]
    group_by: Option<String>,
    denom: Option<String>,
}

async fn spend_csv(
    State(state): State<ApiState>,
    query: Result<Query<SpendParams>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(p) = query.map_err(|e| ApiError::bad_input("INVALID_QUERY", e.body_text()))?;
    let args = ExportArgs {
        from: p.from,
        to: p.to,
        group_by: p.group_by,
        denom: p.denom,
        ..ExportArgs::default()
    };
    let mut body = Vec::new();
    export(&state.read, &args, &mut body).await?;
    // Only digits and dashes of the dates reach the header.
    let part = |v: &Option<String>, d: &str| {
        let s: String = v
            .as_deref()
            .unwrap_or(d)
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        s
    };
    let name = format!(
        "attachment; filename=\"spend_{}_{}.csv\"",
        part(&args.from, "start"),
        part(&args.to, "now")
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, name),
        ],
        body,
    )
        .into_response())
}
