//! The "by the numbers" table over HTTP: `GET /v1/period-summary?from=&to=&compareTo=` as JSON,
//! `.csv` and `.md` the bytes `indexer export --period-summary` writes
//! ([`crate::stats::period`]).

use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;

use super::{ApiError, ApiState};
use crate::stats::period::{self, Format, PeriodSummary};

/// `/v1/period-summary` routes.
pub fn router() -> Router<ApiState> {
    Router::new()
        .route("/v1/period-summary", get(json))
        .route("/v1/period-summary.csv", get(csv))
        .route("/v1/period-summary.md", get(markdown))
}

/// The query string (names as in GraphQL; `compare_to` also accepted).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Params {
    from: Option<String>,
    to: Option<String>,
    #[serde(alias = "compare_to")]
    compare_to: Option<String>,
}

type ParamsResult = Result<Query<Params>, axum::extract::rejection::QueryRejection>;

fn params(query: ParamsResult) -> Result<Params, ApiError> {
    let Query(p) = query.map_err(|e| ApiError::bad_input("INVALID_QUERY", e.body_text()))?;
    Ok(p)
}

async fn json(
    State(state): State<ApiState>,
    query: ParamsResult,
) -> Result<Json<PeriodSummary>, ApiError> {
    let p = params(query)?;
    let summary = period::read(
        &state.read,
        p.from.as_deref(),
        p.to.as_deref(),
        p.compare_to.as_deref(),
    )
    .await?;
    Ok(Json(summary))
}

async fn file(state: ApiState, query: ParamsResult, format: Format) -> Result<Response, ApiError> {
    let p = params(query)?;
    let mut body = Vec::new();
    period::export(
        &state.read,
        p.from.as_deref(),
        p.to.as_deref(),
        p.compare_to.as_deref(),
        format,
        &mut body,
    )
    .await?;
    let kind = match format {
        Format::Csv => "text/csv; charset=utf-8",
        Format::Markdown => "text/markdown; charset=utf-8",
    };
    Ok(([(header::CONTENT_TYPE, kind)], body).into_response())
}

async fn csv(State(state): State<ApiState>, query: ParamsResult) -> Result<Response, ApiError> {
    file(state, query, Format::Csv).await
}

async fn markdown(
    State(state): State<ApiState>,
    query: ParamsResult,
) -> Result<Response, ApiError> {
    file(state, query, Format::Markdown).await
}
