//! The "by the numbers" table (`stats { periodSummary }`, `/v1/period-summary`, the export)
//! against counts and sums written here from `raw_event` and the independent [`Model`]: the
//! history's complete days split into two halves, the second compared with the first.

use std::collections::BTreeSet;

use chrono::{Duration, NaiveDate};
use cosmwasm_std::Decimal256;
use serde_json::Value;
use supercloud_chain::{ACT_DENOM, AKT_DENOM, USDC_DENOM};
use tokio_postgres::Client;

use indexer::stats::period::{export, Format};

use super::model::Model;
use super::{dec, Api};

/// The blocks `(lo, hi]` of the UTC days `[from, to]`, from the model's blocks.
fn window(m: &Model, from: NaiveDate, to: NaiveDate) -> (i64, i64) {
    let last = |pred: &dyn Fn(NaiveDate) -> bool| {
        m.blocks
            .iter()
            .filter(|(_, t)| pred(t.date_naive()))
            .map(|b| b.0)
            .max()
            .unwrap_or(0)
    };
    let lo = last(&|d| d < from);
    (lo, last(&|d| d <= to).max(lo))
}

/// Σ of attribute `key` (as NUMERIC) over `raw_event` rows of `ty` in `(lo, hi]` whose
/// attributes contain every `[k, v]` of `having`.
async fn raw_sum(c: &Client, ty: &str, key: &str, having: &str, lo: i64, hi: i64) -> Decimal256 {
    let row = c
        .query_one(
            "SELECT coalesce(sum((SELECT (a->>1)::numeric FROM jsonb_array_elements(attributes) a
                                  WHERE a->>0 = $2 LIMIT 1)), 0)::text
             FROM raw_event WHERE type = $1 AND attributes @> $3::text::jsonb
               AND block_height > $4 AND block_height <= $5",
            &[&ty, &key, &having, &lo, &hi],
        )
        .await
        .unwrap();
    dec(&Value::String(row.get(0)))
}

async fn raw_count(c: &Client, ty: &str, lo: i64, hi: i64) -> i64 {
    c.query_one(
        "SELECT count(*) FROM raw_event WHERE type = $1 AND block_height > $2 AND block_height <= $3",
        &[&ty, &lo, &hi],
    )
    .await
    .unwrap()
    .get(0)
}

/// Every figure of one window, computed here: (figure, denom) → value.
async fn expected(
    c: &Client,
    m: &Model,
    (lo, hi): (i64, i64),
) -> Vec<((String, Option<String>), Decimal256)> {
    let n = |x: i64| Decimal256::from_ratio(x as u128, 1u8);
    let accounts: BTreeSet<(String, i64)> = m
        .payments
        .iter()
        .filter(|(_, p)| p.opened <= hi && p.live(hi + 1))
        .map(|(k, _)| (k.0.clone(), k.1))
        .collect();
    let paid = if hi > lo {
        m.payments
            .values()
            .filter(|p| (lo + 1..=hi).any(|b| p.live(b)))
            .count() as i64
    } else {
        0
    };
    let spend = m.window(lo, hi);
    let usd: Decimal256 = spend.values().map(|s| s.1).sum();
    let average = if paid == 0 {
        Decimal256::zero()
    } else {
        let q = usd / n(paid);
        // Truncated to 10^-6 USD.
        Decimal256::from_ratio((q * n(1_000_000)).to_uint_floor(), 1_000_000u32)
    };
    let fig = |f: &str, d: Option<&str>| (f.to_string(), d.map(String::from));
    let mut out = vec![
        (
            fig("DEPLOYMENTS_CREATED", None),
            n(raw_count(c, "wasm-escrow.account_opened", lo, hi).await),
        ),
        (
            fig("NEW_LEASES", None),
            n(raw_count(c, "wasm-escrow.payment_opened", lo, hi).await),
        ),
        (fig("ACTIVE_DEPLOYMENTS", None), n(accounts.len() as i64)),
    ];
    for denom in [AKT_DENOM, ACT_DENOM, USDC_DENOM] {
        let s = spend.get(denom).map_or(Decimal256::zero(), |s| s.0);
        out.push((fig("SPEND", Some(denom)), s));
    }
    out.push((fig("TOTAL_USD_SPENT", None), usd));
    out.push((fig("AVERAGE_FEE_PER_LEASE", None), average));
    out.push((fig("LEASES_PAID", None), n(paid)));
    let executed = "wasm-bme.record_executed";
    out.push((
        fig("ACT_MINTED", None),
        raw_sum(c, executed, "paid", r#"[["kind","mint"]]"#, lo, hi).await,
    ));
    out.push((
        fig("ACT_BURNED", None),
        raw_sum(c, executed, "burned", r#"[["kind","burn"]]"#, lo, hi).await,
    ));
    out.push((
        fig("PIP_PAID_USD", None),
        raw_sum(c, "wasm-pip.epoch_settled", "amount_usd", "[]", lo, hi).await,
    ));
    let gpu_seconds = raw_sum(c, "wasm-reservations.claimed", "gpu_seconds", "[]", lo, hi).await;
    out.push((fig("RESERVED_GPU_HOURS", None), gpu_seconds / n(3600)));
    out
}

/// Growth as the table defines it, from the two values (one decimal, half away from zero).
fn growth(value: Decimal256, previous: Decimal256) -> String {
    if previous.is_zero() {
        return if value.is_zero() {
            "0%".into()
        } else {
            "new".into()
        };
    }
    let (v, p) = (
        value.to_string().parse::<f64>().unwrap(),
        previous.to_string().parse::<f64>().unwrap(),
    );
    let pct = ((v - p) * 100.0 / p * 10.0).round() / 10.0;
    if pct == 0.0 {
        "0%".into()
    } else if pct > 0.0 {
        format!("+{pct}%")
    } else {
        format!("{pct}%")
    }
}

/// Decimal strings equal as numbers (`1.50` = `1.5`), or within 10^-9 relative for USD sums the
/// model adds in 18-decimal steps.
fn same(a: &str, b: Decimal256, exact: bool) -> bool {
    // USD is exact to 10^-42: cut to the 18 decimals Decimal256 holds.
    let a = match a.split_once('.') {
        Some((i, f)) if f.len() > 18 => format!("{i}.{}", &f[..18]),
        _ => a.to_string(),
    };
    let a: Decimal256 = a.parse().unwrap();
    if exact {
        return a == b;
    }
    let diff = if a > b { a - b } else { b - a };
    diff <= b * Decimal256::from_ratio(1u8, 1_000_000_000u64)
        + Decimal256::from_ratio(1u8, 1_000_000u64)
}

pub async fn period_summary_by_halves(api: &Api, m: &Model, c: &Client, url: &str) {
    let first = m.blocks[0].1.date_naive();
    // Complete days only: the day in progress would make the second half still grow.
    let last = m.tip().1.date_naive() - Duration::days(1);
    let half = ((last - first).num_days() + 1) / 2;
    assert!(half >= 7, "the history spans two weeks at least");
    let (from, to) = (
        first + Duration::days(half),
        first + Duration::days(2 * half - 1),
    );
    let cur = window(m, from, to);
    let prev = window(m, first, from - Duration::days(1));
    let q = format!(
        r#"periodSummary(from: "{from}", to: "{to}") {{ from to compareFrom compareTo inProgress
            lastHeight compareLastHeight rows {{ figure denom value previous growthPercent growth estimated }} }}"#
    );
    let s = api.stats(&q).await.unwrap()["periodSummary"].clone();
    assert_eq!(s["compareFrom"], Value::String(first.to_string()));
    assert_eq!(
        s["compareTo"],
        Value::String((from - Duration::days(1)).to_string())
    );
    assert_eq!(
        (s["lastHeight"].as_i64(), s["compareLastHeight"].as_i64()),
        (Some(cur.1), Some(prev.1))
    );
    assert_eq!(s["inProgress"], Value::Bool(false));
    let (want, want_prev) = (expected(c, m, cur).await, expected(c, m, prev).await);
    let rows = s["rows"].as_array().unwrap();
    assert_eq!(rows.len(), want.len(), "{rows:?}");
    let mut nonzero = 0;
    for ((row, ((figure, denom), value)), (_, previous)) in rows.iter().zip(&want).zip(&want_prev) {
        let what = format!("{figure} {denom:?}: {row}");
        assert_eq!(row["figure"].as_str(), Some(figure.as_str()), "{what}");
        assert_eq!(row["denom"].as_str(), denom.as_deref(), "{what}");
        // USD sums and hours (NUMERIC division to 16 places) agree to 10^-9.
        let exact = !matches!(
            figure.as_str(),
            "TOTAL_USD_SPENT" | "AVERAGE_FEE_PER_LEASE" | "RESERVED_GPU_HOURS"
        );
        assert!(
            same(row["value"].as_str().unwrap(), *value, exact),
            "{what}: want {value}"
        );
        assert!(
            same(row["previous"].as_str().unwrap(), *previous, exact),
            "{what}: want previous {previous}"
        );
        if exact {
            assert_eq!(
                row["growth"].as_str().unwrap(),
                growth(*value, *previous),
                "{what}"
            );
        }
        nonzero += usize::from(!value.is_zero());
    }
    // The halves have leases, deployments, spend in every denom, mints and payouts to compare.
    assert!(nonzero >= 10, "too few figures to compare: {rows:?}");

    // The same table over REST, as CSV and Markdown; a period before the first block is all zero
    // and its growth says "new" where the later period has something.
    let rest: Value = api
        .get(&format!("/v1/period-summary?from={from}&to={to}"))
        .await
        .json()
        .await
        .unwrap();
    let mut rest_rows = rest["rows"].as_array().unwrap().clone();
    for r in &mut rest_rows {
        let label = r.as_object_mut().unwrap().remove("label").unwrap();
        assert!(
            label.as_str().unwrap().starts_with(char::is_uppercase),
            "{label}"
        );
    }
    assert_eq!(Value::Array(rest_rows), s["rows"]);
    let csv = api
        .get(&format!("/v1/period-summary.csv?from={from}&to={to}"))
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(csv.lines().count(), rows.len() + 1);
    assert!(csv.starts_with("figure,label,denom,value,previous,growth_percent,growth,estimated"));
    let md = api
        .get(&format!("/v1/period-summary.md?from={from}&to={to}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        md.contains(&format!("| {from} – {to} |")) && md.contains("| Deployments created |"),
        "{md}"
    );
    // `indexer export --period-summary` writes the same bytes.
    let store = indexer::store::Store::connect(url, 1).unwrap();
    for (format, http) in [(Format::Csv, &csv), (Format::Markdown, &md)] {
        let (f, t) = (from.to_string(), to.to_string());
        let mut out = Vec::new();
        export(store.pool(), Some(&f), Some(&t), None, format, &mut out)
            .await
            .unwrap();
        assert_eq!(String::from_utf8(out).unwrap(), *http, "{format:?}");
    }
    let early = api
        .stats(&format!(
            r#"periodSummary(from: "{first}", to: "{}") {{ rows {{ figure previous growth }} }}"#,
            first + Duration::days(9)
        ))
        .await
        .unwrap();
    for row in early["periodSummary"]["rows"].as_array().unwrap() {
        assert_eq!(row["previous"], Value::String("0".into()), "{row}");
        assert!(
            matches!(row["growth"].as_str(), Some("new" | "0%")),
            "{row}"
        );
    }
    // Bad input is typed.
    assert_eq!(
        api.code(r#"periodSummary(from: "2026-13-01") { from }"#)
            .await,
        "INVALID_DATE"
    );
    assert_eq!(
        api.code(&format!(
            r#"periodSummary(from: "{to}", to: "{from}") {{ from }}"#
        ))
        .await,
        "INVALID_RANGE"
    );
    assert_eq!(
        api.get("/v1/period-summary?compareTo=decade")
            .await
            .status(),
        400
    );
}
