//! The stats dashboard page (DESIGN §7 "Dashboard"): static files from a directory, served at `/`.
//! The page reads only the public API (GraphQL `_meta` and `stats`), so this module knows nothing
//! of the data. Files are read on each request (they are small), so the directory can be edited
//! or reinstalled under a running server; the chart library comes from the directory's
//! `node_modules` (installed by `npm ci`, never committed) at a stable path.

use std::path::{Path, PathBuf};

use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use super::{ApiError, ApiState};

/// The page's files in the source tree (`indexer/dashboard`).
pub const DEFAULT_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/dashboard");

/// Where the page loads the chart library from.
pub const VENDOR_CHART_PATH: &str = "/vendor/chart.umd.js";

/// The chart library's browser build inside the dashboard directory.
const CHART_FILE: &str = "node_modules/chart.js/dist/chart.umd.min.js";

const HTML: &str = "text/html; charset=utf-8";
const JS: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";

/// The default dashboard directory as a path.
pub fn default_dir() -> PathBuf {
    PathBuf::from(DEFAULT_DIR)
}

/// The page's own files (in `dir`) and their content types; each is served at `/<name>`.
const PAGE_FILES: [(&str, &str); 5] = [
    ("index.html", HTML),
    ("app.js", JS),
    ("api.js", JS),
    ("fmt.js", JS),
    ("app.css", CSS),
];

/// `/` (the page), its own files ([`PAGE_FILES`]) and [`VENDOR_CHART_PATH`], read from `dir`.
pub fn router(dir: PathBuf) -> Router<ApiState> {
    let mut router = Router::new().route("/", get(page));
    for (name, content_type) in PAGE_FILES {
        router =
            router.route(
                &format!("/{name}"),
                get(move |State(f): State<Files>| async move {
                    own_file(&f.dir, name, content_type).await
                }),
            );
    }
    router
        .route(VENDOR_CHART_PATH, get(chart_js))
        .with_state(Files { dir })
}

/// The dashboard directory, the router's own state.
#[derive(Clone, Debug)]
struct Files {
    dir: PathBuf,
}

async fn page(State(f): State<Files>) -> Response {
    own_file(&f.dir, "index.html", HTML).await
}

/// The chart library, or a 503 saying how to install it (the page then says so too).
async fn chart_js(State(f): State<Files>) -> Response {
    let path = f.dir.join(CHART_FILE);
    match tokio::fs::read(&path).await {
        // The installed version is pinned by the lockfile; a day's caching is safe.
        Ok(body) => with_headers(body, JS, "public, max-age=86400"),
        Err(e) => {
            tracing::warn!(path = %path.display(), error = %e, "dashboard: chart library missing");
            ApiError::Unavailable(format!(
                "the chart library is not installed: run `npm ci` in {}",
                f.dir.display()
            ))
            .into_response()
        }
    }
}

/// One of the page's own files; `no-cache` so a refresh picks up a new version at once.
async fn own_file(dir: &Path, name: &str, content_type: &'static str) -> Response {
    let path = dir.join(name);
    match tokio::fs::read(&path).await {
        Ok(body) => with_headers(body, content_type, "no-cache"),
        Err(e) => {
            tracing::warn!(path = %path.display(), error = %e, "dashboard: page file missing");
            ApiError::Unavailable(format!(
                "the dashboard file {name} is missing from {} (set --dashboard-dir)",
                dir.display()
            ))
            .into_response()
        }
    }
}

fn with_headers(body: Vec<u8>, content_type: &'static str, cache: &'static str) -> Response {
    (
        [
            (CONTENT_TYPE, HeaderValue::from_static(content_type)),
            (CACHE_CONTROL, HeaderValue::from_static(cache)),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_dir_holds_the_page() {
        let dir = default_dir();
        for (f, _) in PAGE_FILES {
            assert!(dir.join(f).is_file(), "{f} missing from {}", dir.display());
        }
    }
}
