//! Projections checked against what the contracts themselves reported: a payment's live
//! intervals must explain every settlement's charge exactly, and the daily rollups must add up
//! to the intervals.

use devnet::rpc::FaultConfig;

use crate::common::{client, sync_to_tip, Chain, Db};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_intervals_explain_every_settlement_and_rollups_add_up_to_them() {
    let chain = Chain::start(FaultConfig::default()).await;
    let db = Db::start().await;
    let url = db.fresh();
    let report = sync_to_tip(&url, vec![chain.url()]).await;
    assert_eq!(report.anomalies, 0, "the projector contradicted no event");
    let c = client(&url).await;

    // Each settlement charged floor(rate × live blocks through its to_height) in total so far
    // (amount + debt, cumulative per payment), with live blocks taken from the intervals.
    let rows = c
        .query(
            "WITH s AS (
                 SELECT owner, dseq, payment_id, to_height,
                        sum(amount + debt) OVER (PARTITION BY owner, dseq, payment_id
                            ORDER BY block_height, phase, tx_index, event_index) AS charged
                 FROM escrow_payment_settled)
             SELECT s.owner, s.dseq, s.payment_id, s.to_height, s.charged::text,
                    floor(p.rate * (
                        SELECT coalesce(sum(greatest(0,
                            least(coalesce(i.to_height, s.to_height), s.to_height) - i.from_height)), 0)
                        FROM payment_live_interval i
                        WHERE (i.owner, i.dseq, i.payment_id) = (s.owner, s.dseq, s.payment_id)
                    ))::text AS expected
             FROM s JOIN escrow_payment p USING (owner, dseq, payment_id)",
            &[],
        )
        .await
        .unwrap();
    assert!(
        rows.len() > 50,
        "the history settles payments ({} settlements)",
        rows.len()
    );
    let mut wrong = Vec::new();
    for r in &rows {
        let (charged, expected): (String, String) = (r.get(4), r.get(5));
        if charged != expected {
            let (owner, dseq, id, to): (String, i64, i64, i64) =
                (r.get(0), r.get(1), r.get(2), r.get(3));
            wrong.push(format!(
                "{owner}/{dseq}/{id} through {to}: charged {charged}, intervals say {expected}"
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} settlements disagree: {:#?}",
        wrong.len(),
        rows.len(),
        &wrong[..wrong.len().min(10)]
    );

    // The exhaustion path is exercised: some payment ran more than once or stopped at an
    // exhausted_at the contract reported.
    let exhausted: i64 = c
        .query_one(
            "SELECT count(*) FROM escrow_overdrawn o JOIN payment_live_interval i
               ON i.owner = o.owner AND i.dseq = o.dseq AND i.to_height = o.exhausted_at",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    assert!(exhausted > 0, "some run ends at a reported exhaustion");

    // Σ daily spend per owner and denom = Σ rate × live blocks of its intervals through the tip.
    let diff = c
        .query(
            "WITH tip AS (SELECT block_height AS h FROM sync_cursor),
             by_interval AS (
                 SELECT p.owner, p.denom,
                        sum(p.rate * greatest(0, least(coalesce(i.to_height, tip.h), tip.h) - i.from_height)) AS spend
                 FROM payment_live_interval i JOIN escrow_payment p USING (owner, dseq, payment_id), tip
                 GROUP BY 1, 2),
             by_day AS (SELECT owner, denom, sum(spend) AS spend FROM daily_lease GROUP BY 1, 2)
             SELECT coalesce(a.owner, b.owner), coalesce(a.denom, b.denom), a.spend::text, b.spend::text
             FROM by_interval a FULL JOIN by_day b USING (owner, denom)
             WHERE a.spend IS DISTINCT FROM b.spend AND NOT (a.spend = 0 AND b.spend IS NULL)",
            &[],
        )
        .await
        .unwrap();
    let diff: Vec<(String, String, Option<String>, Option<String>)> = diff
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
        .collect();
    assert!(diff.is_empty(), "rollups vs intervals: {diff:#?}");

    // Active leases on the last day = runs still open at the tip.
    let (active, open): (i64, i64) = {
        let r = c
            .query_one(
                "SELECT (SELECT coalesce(sum(leases_active), 0) FROM daily_lease
                         WHERE day = (SELECT max(day) FROM daily_lease))::bigint,
                        (SELECT count(*) FROM payment_live_interval WHERE to_height IS NULL)",
                &[],
            )
            .await
            .unwrap();
        (r.get(0), r.get(1))
    };
    assert!(open > 0);
    assert_eq!(active, open);

    // Every account and payment the events opened is in its table, in the state of its last event.
    let (accounts, opened): (i64, i64) = {
        let r = c
            .query_one(
                "SELECT (SELECT count(*) FROM escrow_account), (SELECT count(*) FROM escrow_account_opened)",
                &[],
            )
            .await
            .unwrap();
        (r.get(0), r.get(1))
    };
    assert_eq!(accounts, opened);
    let closed: i64 = c
        .query_one(
            "SELECT count(*) FROM escrow_payment p JOIN escrow_payment_closed e USING (owner, dseq, payment_id)
             WHERE p.state = 'closed' AND p.closed_height = e.height",
            &[],
        )
        .await
        .unwrap()
        .get(0);
    let closed_events: i64 = c
        .query_one("SELECT count(*) FROM escrow_payment_closed", &[])
        .await
        .unwrap()
        .get(0);
    assert_eq!(closed, closed_events);
}
