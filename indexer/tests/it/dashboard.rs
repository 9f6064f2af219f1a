//! The dashboard page in headless Chromium (Debian's `chromium`, driven by playwright-core through
//! `indexer/dashboard/test/browser.mjs`) against a real `serve` over a synced devnet history:
//! the cards show the API's numbers, the range buttons redraw, the tables list the providers, a
//! phone has no horizontal scroll, a screenshot lands in `target/dashboard.png`; and the page says
//! so plainly while the indexer backfills and when the API is unreachable. Missing tools fail the
//! test with the command that installs them; nothing is skipped.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use devnet::rpc::{FaultConfig, Faults};
use devnet::runner::DevnetConfig;
use devnet::served::Served;
use indexer::api::dashboard;
use indexer::api::server::ServeConfig;
use indexer::store::Store;
use indexer::sync::sync;
use serde_json::Value;

use crate::common::*;

/// Days of history: more than the 7D range and less than 1M, so the three ranges differ.
const HISTORY_DAYS: u64 = 9;

/// The dashboard's directory in the source tree.
fn dir() -> PathBuf {
    dashboard::default_dir()
}

/// Where the screenshot goes: `target/dashboard.png` of the workspace (or `$CARGO_TARGET_DIR`).
fn screenshot() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    target.join("dashboard.png")
}

/// Fails with the command to run when node, the npm packages or Chromium are missing.
fn require_tools() {
    let node = std::process::Command::new("node").arg("--version").output();
    assert!(
        node.is_ok_and(|o| o.status.success()),
        "node is not installed (apt-get install nodejs npm)"
    );
    for package in ["playwright-core", "chart.js"] {
        assert!(
            dir().join("node_modules").join(package).is_dir(),
            "{package} is not installed: run `npm ci` in {}",
            dir().display()
        );
    }
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    assert!(
        Path::new(&chromium).is_file(),
        "no Chromium at {chromium}: apt-get install chromium (or set CHROMIUM)"
    );
}

/// `serve` as the CLI runs it, with the dashboard merged in, on an ephemeral port; returns the
/// base URL and the sender that stops it.
async fn serve(url: &str, page_dir: PathBuf) -> (String, tokio::sync::oneshot::Sender<()>) {
    let config = ServeConfig {
        listen: "127.0.0.1:0".parse().unwrap(),
        read_database_url: url.to_string(),
        pool_size: 4,
        dashboard_dir: page_dir,
        ..ServeConfig::default()
    };
    let server = indexer::api::server::Server::bind(&config).await.unwrap();
    let base = format!("http://{}", server.local_addr().unwrap());
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(server.run(async {
        let _ = rx.await;
    }));
    (base, tx)
}

/// Runs the browser test with `args`; returns its `RESULT` JSON, panicking with its output on
/// failure.
async fn browser(args: &[&str]) -> Value {
    let out = tokio::process::Command::new("node")
        .arg(dir().join("test/browser.mjs"))
        .args(args)
        .current_dir(dir())
        .output()
        .await
        .expect("run node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "browser test {args:?} failed ({}):\n{stdout}\n{stderr}",
        out.status
    );
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("RESULT "))
        .unwrap_or_else(|| panic!("no RESULT line from the browser test:\n{stdout}\n{stderr}"));
    serde_json::from_str(line).unwrap()
}

/// A devnet with [`HISTORY_DAYS`] of 5-minute blocks (the fixtures' chain, longer).
async fn chain() -> Chain {
    let mut config = DevnetConfig {
        history_days: HISTORY_DAYS,
        live_interval: None,
        vm_cache: Some(supercloud_vm::workspace_cache_dir()),
        ..DevnetConfig::default()
    };
    config.scenario.history_block_time_s = Some(300);
    // Genesis at 14:00 UTC: the history ends in the afternoon, so the day in progress has a
    // visible (striped) bar in the screenshot.
    config.chain.genesis_time_s += 14 * 3600;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let faults = Arc::new(Faults::new(FaultConfig::default()));
    let served = Served::start(config, listener, Arc::clone(&faults)).unwrap();
    let summary = served
        .ready()
        .await
        .expect("devnet genesis and history (artifacts built? scripts/build-wasm.sh)");
    Chain {
        served,
        summary,
        faults,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dashboard_in_chromium_while_backfilling_when_caught_up_and_without_an_api() {
    require_tools();
    let (chain, db) = tokio::join!(chain(), Db::start());
    let tip = chain.summary.height;

    // Backfilling: the writer has seen the tip, the cursor is half way.
    let half = db.fresh();
    let mut cfg = config(vec![chain.url()]);
    cfg.until = Some(tip / 2);
    sync(&Store::connect(&half, 2).unwrap(), &cfg)
        .await
        .unwrap();
    let (base, stop) = serve(&half, dir()).await;
    let r = browser(&[&base, "--expect=indexing"]).await;
    let lag = i64::try_from(tip - tip / 2).unwrap();
    assert_eq!(r["lagBlocks"], Value::from(lag), "{r}");
    let _ = stop.send(());

    // Caught up: numbers, ranges, tables, phone, screenshot.
    let url = db.fresh();
    sync_to_tip(&url, vec![chain.url()]).await;
    let (base, stop) = serve(&url, dir()).await;
    let shot = screenshot();
    let r = browser(&[&base, shot.to_str().unwrap()]).await;
    assert!(shot.is_file(), "no screenshot at {}", shot.display());
    assert_eq!(r["height"], Value::from(tip), "the page shows the tip: {r}");
    assert_eq!(r["points"]["7D"], 7, "{r}");
    assert_eq!(r["points"]["1M"], 30, "{r}");
    let all = r["points"]["ALL"].as_u64().unwrap();
    assert!(
        (HISTORY_DAYS..=HISTORY_DAYS + 2).contains(&all),
        "ALL drew {all} days of a {HISTORY_DAYS}-day history"
    );
    check_providers(&url, &r).await;

    // Unreachable: the page is served, the API it is pointed at answers nothing.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}", l.local_addr().unwrap())
    };
    let r = browser(&[&base, "--expect=unreachable", &format!("--api={closed}")]).await;
    assert!(r["message"].as_str().unwrap().contains(&closed), "{r}");
    let _ = stop.send(());
}

/// The provider table against the event tables: every provider shown opened a payment, and every
/// provider that opened one in the last 24 h of chain time is shown (it is active or spent within
/// the 7 days the table covers).
async fn check_providers(url: &str, r: &Value) {
    let shown: BTreeSet<String> = r["providers"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    let sql = client(url).await;
    let ever: BTreeSet<String> = sql
        .query("SELECT DISTINCT provider FROM escrow_payment_opened", &[])
        .await
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    let recent: BTreeSet<String> = sql
        .query(
            "SELECT DISTINCT provider FROM escrow_payment_opened
             WHERE block_time > (SELECT max(block_time) FROM block) - interval '24 hours'",
            &[],
        )
        .await
        .unwrap()
        .iter()
        .map(|row| row.get(0))
        .collect();
    assert!(
        !recent.is_empty(),
        "the history opened no payment in its last day"
    );
    assert!(
        shown.is_subset(&ever),
        "shown {shown:?}, ever opened {ever:?}"
    );
    assert!(
        recent.is_subset(&shown),
        "shown {shown:?}, opened in 24 h {recent:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn dashboard_files_have_their_types_and_a_missing_chart_library_says_npm_ci() {
    // A copy of the page without node_modules, as a checkout before `npm ci`.
    let tmp = std::env::temp_dir().join(format!("dashboard-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    for f in ["index.html", "app.js", "api.js", "fmt.js", "app.css"] {
        std::fs::copy(dir().join(f), tmp.join(f)).unwrap();
    }
    // The page files need no database: a pool that never connects is enough.
    let (base, stop) = serve("postgres://nobody@127.0.0.1:1/none", tmp.clone()).await;
    let http = reqwest::Client::new();
    for (path, ty) in [
        ("/", "text/html"),
        ("/app.js", "text/javascript"),
        ("/api.js", "text/javascript"),
        ("/fmt.js", "text/javascript"),
        ("/app.css", "text/css"),
    ] {
        let r = http.get(format!("{base}{path}")).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 200, "{path}");
        let got = r.headers()["content-type"].to_str().unwrap().to_string();
        assert!(got.starts_with(ty), "{path}: {got}");
        assert_eq!(
            r.bytes().await.unwrap(),
            std::fs::read(tmp.join(if path == "/" {
                "index.html"
            } else {
                &path[1..]
            }))
            .unwrap()
        );
    }
    let r = http
        .get(format!("{base}{}", dashboard::VENDOR_CHART_PATH))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status().as_u16(), 503);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "UNAVAILABLE", "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("npm ci"),
        "{body}"
    );
    // In the browser, the page says how to install it.
    require_tools();
    let r = browser(&[&base, "--expect=no-chart-library"]).await;
    assert!(r["message"].as_str().unwrap().contains("npm ci"), "{r}");
    // Only the page's own files are served from the directory.
    for path in [
        "/package.json",
        "/node_modules/chart.js/package.json",
        "/../Cargo.toml",
    ] {
        let r = http.get(format!("{base}{path}")).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 404, "{path}");
    }
    let _ = stop.send(());
    std::fs::remove_dir_all(&tmp).unwrap();
}
