//! The API benchmark (a program, not a timed test): `cargo bench -p indexer --bench api` (add
//! `-- --quick` for CI: smaller history, fewer requests, seconds). Prints its figures and writes
//! `target/bench/api.json`.
//!
//! Input: synthetic history loaded through the store's own write path (`Store::apply` of
//! `DecodedBlock`s carrying catalogue events built from `supercloud_events` structs), so the
//! projector fills the live intervals and daily rollups exactly as sync does. One block per hour
//! (the rollups are per day, so block density does not change what the queries read); every
//! hour one lease closes and a new one opens (new account), keeping `ACTIVE` leases live over
//! 20 providers, 60 owners, 4 GPU models and 3 denoms; an AKT/USD aggregate every 6 hours
//! (every 50th unhealthy). Two databases: 1 year and 3 years of days ending on the same date.
//!
//! Measured at 200 concurrent clients: GraphQL executed in process (parsed, executed and its
//! errors tagged as the handler does, and the response encoded as JSON: the figure the targets
//! are about) and over HTTP (the full router on a local socket, the client in the same process),
//! each beside the same SQL run directly through the same pool (the stats function itself, or
//! for the connection its keyset statement, without GraphQL): `dailySpend` over 3 years of days;
//! the dashboard; one page (100) of the `escrowAccounts` connection; and `dailySpend` over its
//! last 365 days at 1 year vs 3 years of history (answered from the rollups, so flat in history
//! length). Each comparison is also run by one client at a time (latency without queueing).
//! The API answers the dashboard from its per-height snapshot memo (no block lands during the
//! bench), so there the comparison is the memo against computing every request; the direct SQL
//! is the uncached computation. The process uses the `indexer` binary's allocator (mimalloc).

mod common;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use cosmwasm_std::{Addr, Decimal256, Uint256};
use deadpool_postgres::Pool;
use indexer::api::graphql::{schema, ApiSchema};
use indexer::api::server::{router, ServeConfig};
use indexer::api::sql::read_pool;
use indexer::api::ApiState;
use indexer::decode::{Decoded, DecodedBlock, EventPos, Outcome, Phase, RawRow};
use indexer::stats::dashboard::dashboard;
use indexer::stats::spend::daily_spend;
use indexer::stats::{Current, DayRange, Filter, Grouping, Now};
use indexer::store::Store;
use serde_json::{json, Value};
use supercloud_events::escrow::{AccountOpened, CloseReason, PaymentClosed, PaymentOpened};
use supercloud_events::oracle::{Health, PriceAggregated};
use supercloud_events::SupercloudEvent;
use supercloud_pgtemp::Cluster;

const CLIENTS: usize = 200;
const DENOMS: [&str; 3] = [
    supercloud_chain::AKT_DENOM,
    supercloud_chain::ACT_DENOM,
    supercloud_chain::USDC_DENOM,
];
const GPUS: [&str; 4] = ["h100", "a100", "rtx4090", ""];

/// The last day of every synthetic history.
fn end() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or_default()
}

fn decoded(height: u64, index: u32, contract: &str, event: SupercloudEvent) -> Decoded {
    let meta = event.meta();
    let mut attributes = vec![("_contract_address".to_string(), contract.to_string())];
    attributes.extend(
        event
            .attributes()
            .into_iter()
            .map(|(k, v)| (k.to_string(), v)),
    );
    Decoded {
        raw: RawRow {
            pos: EventPos {
                height,
                phase: Phase::Tx,
                tx_index: 0,
                event_index: index,
            },
            contract: contract.to_string(),
            kind: format!("wasm-{}.{}", meta.contract, meta.action),
            attributes,
        },
        outcome: Outcome::Event {
            msg_index: Some(0),
            event: Box::new(event),
        },
    }
}

/// A live lease: (owner, dseq, provider, denom, rate).
type Lease = (String, u64, String, &'static str, Decimal256);

/// Loads `days` of hourly blocks ending at [`end`] into `store`; returns the blocks written.
async fn load(store: &Store, days: i64, active: usize) -> anyhow::Result<u64> {
    let blocks = (days * 24) as u64;
    let start = end() - chrono::Duration::days(days);
    let mut live: std::collections::VecDeque<Lease> = Default::default();
    let mut batch = Vec::new();
    let mut dseq = 0u64;
    for height in 1..=blocks {
        let time = start + chrono::Duration::hours(height as i64 - 1);
        let mut events = Vec::new();
        let mut ev = |e: SupercloudEvent, contract: &str| {
            let n = events.len() as u32;
            events.push(decoded(height, n, contract, e));
        };
        if height % 6 == 1 {
            let healthy = height % 300 != 1;
            let price = Decimal256::from_ratio(150 + (height % 97), 100u64);
            ev(
                SupercloudEvent::Oracle(
                    PriceAggregated {
                        pair: supercloud_chain::AKT_USD_PAIR.into(),
                        price: healthy.then_some(price),
                        health: if healthy {
                            Health::Healthy
                        } else {
                            Health::Stale
                        },
                        sources_used: u32::from(healthy),
                        left_out: None,
                        height,
                        time: time.timestamp() as u64,
                    }
                    .into(),
                ),
                "oracle",
            );
        }
        // Open one lease per block (more at the start), close the oldest beyond `active`.
        let opens = if height == 1 { active } else { 1 };
        for _ in 0..opens {
            dseq += 1;
            let owner = format!("owner{:02}", dseq % 60);
            let provider = format!("provider{:02}", dseq % 20);
            let denom = DENOMS[(dseq % 3) as usize];
            let rate = Decimal256::from_ratio(1 + dseq % 50, 4u64);
            let gpu = GPUS[(dseq % 4) as usize];
            let account = AccountOpened {
                owner: Addr::unchecked(&owner),
                dseq,
                denom: denom.into(),
                height,
            };
            ev(SupercloudEvent::Escrow(account.into()), "escrow");
            let opened = PaymentOpened {
                owner: Addr::unchecked(&owner),
                dseq,
                payment_id: 1,
                provider: Addr::unchecked(&provider),
                rate,
                denom: denom.into(),
                gpu_model: gpu.into(),
                gpu_count: if gpu.is_empty() {
                    0
                } else {
                    1 + (dseq % 8) as u32
                },
                height,
                account_rate: rate,
                depletes_at: None,
            };
            ev(SupercloudEvent::Escrow(opened.into()), "escrow");
            live.push_back((owner, dseq, provider, denom, rate));
        }
        while live.len() > active {
            let Some((owner, d, provider, denom, _)) = live.pop_front() else {
                break;
            };
            let closed = PaymentClosed {
                owner: Addr::unchecked(owner),
                dseq: d,
                payment_id: 1,
                provider: Addr::unchecked(provider),
                reason: CloseReason::Owner,
                paid_out: Uint256::zero(),
                unpaid_debt: Uint256::zero(),
                denom: denom.into(),
                height,
                account_rate: Decimal256::zero(),
                depletes_at: None,
            };
            ev(SupercloudEvent::Escrow(closed.into()), "escrow");
        }
        batch.push(DecodedBlock {
            height,
            time,
            hash: format!("{height:064X}"),
            tx_count: 1,
            events,
            new_contracts: Vec::new(),
        });
        if batch.len() == 500 || height == blocks {
            store.apply(&batch).await?;
            batch.clear();
        }
    }
    Ok(blocks)
}

/// p50 and p99 of `n` calls of `f` from `clients` concurrent clients, in milliseconds.
async fn measure<F, Fut>(clients: usize, n: usize, f: F) -> anyhow::Result<(f64, f64)>
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = anyhow::Result<()>> + Send,
{
    let f = Arc::new(f);
    let next = Arc::new(AtomicUsize::new(0));
    let times = Arc::new(Mutex::new(Vec::with_capacity(n)));
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (f, next, times) = (f.clone(), next.clone(), times.clone());
        tasks.push(tokio::spawn(async move {
            while next.fetch_add(1, Ordering::Relaxed) < n {
                let t = Instant::now();
                f().await?;
                let ms = t.elapsed().as_secs_f64() * 1e3;
                times
                    .lock()
                    .map_err(|_| anyhow::anyhow!("poisoned"))?
                    .push(ms);
            }
            anyhow::Ok(())
        }));
    }
    for t in tasks {
        t.await??;
    }
    let mut v = times
        .lock()
        .map_err(|_| anyhow::anyhow!("poisoned"))?
        .clone();
    v.sort_by(f64::total_cmp);
    let at = |q: f64| v[((v.len() as f64 - 1.0) * q).round() as usize];
    Ok((at(0.50), at(0.99)))
}

/// One database's API: served over HTTP (the full router, as `serve` builds it), the same
/// schema for in-process execution, and the read pool both use.
#[derive(Clone)]
struct Target {
    http: reqwest::Client,
    base: String,
    schema: ApiSchema,
    documents: Arc<indexer::api::graphql::codes::Documents>,
    pool: Pool,
}

async fn serve(url: &str, http: &reqwest::Client) -> anyhow::Result<Target> {
    let config = ServeConfig {
        listen: "127.0.0.1:0".parse()?,
        read_database_url: url.into(),
        pool_size: 24,
        statement_timeout: Duration::from_secs(120),
        query_timeout: Duration::from_secs(120),
        request_timeout: Duration::from_secs(120),
        ..ServeConfig::default()
    };
    let pool = read_pool(url, config.pool_size, config.statement_timeout)?;
    let state = ApiState::new(pool.clone())?;
    let app = router(state.clone(), &config);
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    let base = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(Target {
        http: http.clone(),
        base,
        schema: schema(Some(state)),
        documents: Default::default(),
        pool,
    })
}

/// A GraphQL query over HTTP; the body is read in full but not parsed.
async fn over_http(t: &Target, query: &str) -> anyhow::Result<()> {
    let body = t
        .http
        .post(format!("{}/graphql", t.base))
        .json(&json!({ "query": query }))
        .send()
        .await?
        .bytes()
        .await?;
    anyhow::ensure!(
        !body.windows(9).any(|w| w == b"\"errors\":"),
        "graphql errors: {}",
        String::from_utf8_lossy(&body)
    );
    Ok(())
}

/// A GraphQL query executed in process (parsed, executed and its errors tagged) and serialized
/// to JSON, as the handler does.
async fn in_process(t: &Target, query: &str) -> anyhow::Result<()> {
    let r = indexer::api::graphql::codes::execute(&t.schema, &t.documents, query.into()).await;
    anyhow::ensure!(r.errors.is_empty(), "graphql errors: {:?}", r.errors);
    serde_json::to_vec(&r)?;
    Ok(())
}

async fn spend_direct(pool: &Pool, from: NaiveDate) -> anyhow::Result<()> {
    let now = Now::read(pool).await?;
    let from = from.to_string();
    let range = DayRange::parse(&now, Some(&from), None, Current::Include)?;
    daily_spend(pool, &range, &Grouping::default(), &Filter::default()).await?;
    Ok(())
}

/// `query` over HTTP and in process vs `direct`, at [`CLIENTS`] clients: prints the figures.
async fn compare<D, DF>(
    label: &str,
    n: usize,
    t: &Target,
    query: String,
    direct: D,
) -> anyhow::Result<Value>
where
    D: Fn() -> DF + Send + Sync + 'static,
    DF: std::future::Future<Output = anyhow::Result<()>> + Send,
{
    let (t1, q1) = (t.clone(), query.clone());
    let (h50, h99) = measure(CLIENTS, n, move || {
        let (t, q) = (t1.clone(), q1.clone());
        async move { over_http(&t, &q).await }
    })
    .await?;
    let (t2, q2) = (t.clone(), query.clone());
    let (g50, g99) = measure(CLIENTS, n, move || {
        let (t, q) = (t2.clone(), q2.clone());
        async move { in_process(&t, &q).await }
    })
    .await?;
    let direct = Arc::new(direct);
    let d = direct.clone();
    let (d50, d99) = measure(CLIENTS, n, move || d()).await?;
    // One client at a time: the latency a lone caller sees, without queueing behind others.
    let (t3, q3) = (t.clone(), query);
    let (s50, s99) = measure(1, n, move || {
        let (t, q) = (t3.clone(), q3.clone());
        async move { in_process(&t, &q).await }
    })
    .await?;
    let (o50, o99) = measure(1, n, move || direct()).await?;
    println!("  {label}");
    println!("    GraphQL in process  p50 {g50:>8.1} ms  p99 {g99:>8.1} ms  p99 vs SQL {:.2}x (target <= 2)", g99 / d99);
    println!(
        "    GraphQL over HTTP   p50 {h50:>8.1} ms  p99 {h99:>8.1} ms  p99 vs SQL {:.2}x",
        h99 / d99
    );
    println!("    direct SQL          p50 {d50:>8.1} ms  p99 {d99:>8.1} ms");
    println!(
        "    one client: GraphQL in process p50 {s50:.2} ms p99 {s99:.2} ms, direct SQL p50 {o50:.2} ms p99 {o99:.2} ms: p99 {:.2}x",
        s99 / o99
    );
    Ok(json!({"requests": n,
              "graphql_in_process": {"p50_ms": g50, "p99_ms": g99, "p99_vs_sql": g99 / d99},
              "graphql_http": {"p50_ms": h50, "p99_ms": h99, "p99_vs_sql": h99 / d99},
              "sql": {"p50_ms": d50, "p99_ms": d99},
              "one_client": {"graphql_in_process": {"p50_ms": s50, "p99_ms": s99},
                             "sql": {"p50_ms": o50, "p99_ms": o99},
                             "p99_ratio": s99 / o99}}))
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> anyhow::Result<()> {
    let quick = std::env::args().any(|a| a == "--quick");
    // `--only NAME` (daily_spend_long, dashboard, account_page, daily_spend_history_length)
    // measures one figure, for iterating on it.
    let only = common::only();
    let wanted = |name: &str| only.as_deref().is_none_or(|o| o == name);
    let (short_days, long_days, active, n) = if quick {
        (30, 90, 60, 400)
    } else {
        (365, 1096, 300, 2000)
    };
    let pg = Cluster::start()?;
    let mut dbs = Vec::new();
    for (label, days) in [("short", short_days), ("long", long_days)] {
        pg.create_db(label, None)?;
        let url = pg.url(label);
        let store = Store::connect(&url, 2)?;
        store.migrate(1).await?;
        let t = Instant::now();
        let blocks = load(&store, days, active).await?;
        println!(
            "{label}: {days} days, {blocks} hourly blocks, ~{active} live leases, loaded through Store::apply in {:.1?}",
            t.elapsed()
        );
        dbs.push((label, days, url));
    }
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(CLIENTS)
        .build()?;
    let long = serve(&dbs[1].2, &http).await?;
    let short = serve(&dbs[0].2, &http).await?;
    let last = end().date_naive();
    let first_long = last - chrono::Duration::days(long_days - 1);
    // The same window on both histories: the short history's length.
    let recent = last - chrono::Duration::days(short_days - 1);
    let spend_q = |from: NaiveDate| {
        format!("{{ stats {{ dailySpend(from: \"{from}\") {{ day inProgress denom spend spendUsd usdEstimated }} }} }}")
    };
    let mut out = serde_json::Map::new();
    println!("at {CLIENTS} concurrent clients, {n} requests each:");

    if wanted("daily_spend_long") {
        let p = long.pool.clone();
        let r = compare(
            &format!("dailySpend over {long_days} days"),
            n,
            &long,
            spend_q(first_long),
            move || {
                let p = p.clone();
                async move { spend_direct(&p, first_long).await }
            },
        )
        .await?;
        out.insert("daily_spend_long".into(), r);
    }

    if wanted("dashboard") {
        let dash = "{ stats { dashboard { height compareHeight spend { denom spend { value compare } spendUsd { value compare estimated } } spendUsd { value compare } leasesOpened { value compare } activeLeases { value compare } activeGpus { value compare } activeGpusByModel { gpuModel leases gpus } actSupply { value } aktUsd { value estimated } } } }";
        let p = long.pool.clone();
        let r = compare("dashboard", n, &long, dash.into(), move || {
            let p = p.clone();
            async move {
                dashboard(&p, &Filter::default()).await?;
                Ok(())
            }
        })
        .await?;
        out.insert("dashboard".into(), r);
    }

    if wanted("account_page") {
        let page = "{ escrowAccounts(first: 100) { edges { cursor node { owner dseq denom state openedHeight closedHeight } } pageInfo { hasNextPage endCursor } } }";
        let p = long.pool.clone();
        let r = compare(
            "escrowAccounts page (100)",
            n,
            &long,
            page.into(),
            move || {
                let p = p.clone();
                async move {
                    let c = p.get().await?;
                    c.query(
                        "SELECT owner, dseq, denom, state, opened_height, closed_height
                     FROM escrow_account ORDER BY owner ASC, dseq ASC LIMIT 101",
                        &[],
                    )
                    .await?;
                    Ok(())
                }
            },
        )
        .await?;
        out.insert("account_page".into(), r);
    }

    if wanted("daily_spend_history_length") {
        let mut flat = serde_json::Map::new();
        for (label, t) in [("short", &short), ("long", &long)] {
            let (t, q) = (t.clone(), spend_q(recent));
            let (p50, p99) = measure(CLIENTS, n, move || {
                let (t, q) = (t.clone(), q.clone());
                async move { in_process(&t, &q).await }
            })
            .await?;
            flat.insert(label.into(), json!({"p50_ms": p50, "p99_ms": p99}));
        }
        let p99 = |l: &str| flat[l]["p99_ms"].as_f64().unwrap_or(f64::NAN);
        let ratio = p99("long") / p99("short");
        println!(
            "  dailySpend (last {short_days} days, in process) p99 at {short_days} days of history {:.1} ms vs {long_days} days {:.1} ms: {ratio:.2}x (target <= 1.25)",
            p99("short"),
            p99("long")
        );
        flat.insert("p99_ratio".into(), json!(ratio));
        out.insert("daily_spend_history_length".into(), Value::Object(flat));
    }

    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/bench");
    std::fs::create_dir_all(&dir)?;
    let file = dir.join("api.json");
    let input = json!({"short_days": short_days, "long_days": long_days, "live_leases": active,
                       "blocks": "one per hour", "clients": CLIENTS});
    std::fs::write(
        &file,
        serde_json::to_string_pretty(&json!({"quick": quick, "input": input, "runs": out}))?,
    )?;
    println!("wrote {}", file.display());
    Ok(())
}
