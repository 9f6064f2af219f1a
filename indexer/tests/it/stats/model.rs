//! An independent model of the stats, computed block by block from the event tables and `block`
//! only (never the projections, the rollups or the stats code): which blocks each payment is
//! live, the AKT/USD price in force at each block, and what follows from them.

use std::collections::{BTreeMap, HashMap};
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use cosmwasm_std::Decimal256;
use supercloud_chain::{ACT_DENOM, AKT_DENOM, AKT_USD_PAIR, USDC_DENOM};
use tokio_postgres::Client;

/// (owner, dseq, payment_id).
pub type PayKey = (String, i64, i64);

/// A payment as its events describe it.
#[derive(Clone, Debug)]
pub struct Pay {
    pub denom: String,
    pub rate: Decimal256,
    pub gpu_model: String,
    pub gpu_count: i64,
    pub opened: i64,
    pub closed: Option<i64>,
    /// Heights after which the account was out of funds, through the reopen (`(e, r]`).
    pub gaps: Vec<(i64, i64)>,
}

impl Pay {
    /// Whether block `b` is charged: after the opening block, through the closing block, and
    /// not after an exhausting block until the block of the reopen.
    pub fn live(&self, b: i64) -> bool {
        b > self.opened
            && self.closed.is_none_or(|c| b <= c)
            && !self.gaps.iter().any(|(e, r)| b > *e && b <= *r)
    }
}

/// The model.
pub struct Model {
    /// (height, time) of every indexed block, ascending.
    pub blocks: Vec<(i64, DateTime<Utc>)>,
    /// Transactions in those blocks.
    pub txs: i64,
    pub payments: BTreeMap<PayKey, Pay>,
    /// Price in force at `blocks[i]`: (USD per AKT, stale).
    pub price: Vec<(Option<Decimal256>, bool)>,
}

/// Per (day, denom): spend (base units), USD, estimated.
pub type DaySpend = BTreeMap<(NaiveDate, String), (Decimal256, Decimal256, bool)>;

fn dec(s: &str) -> Decimal256 {
    Decimal256::from_str(s).unwrap()
}

impl Model {
    /// Reads the events and blocks.
    pub async fn load(c: &Client) -> Model {
        let rows = c
            .query(
                "SELECT block_height, block_time, tx_count FROM block ORDER BY block_height",
                &[],
            )
            .await
            .unwrap();
        let blocks: Vec<(i64, DateTime<Utc>)> = rows.iter().map(|r| (r.get(0), r.get(1))).collect();
        let txs = rows.iter().map(|r| i64::from(r.get::<_, i32>(2))).sum();
        let tip = blocks.last().unwrap().0;
        let mut payments = BTreeMap::new();
        for r in c
            .query(
                "SELECT owner, dseq, payment_id, provider, rate::text, denom, gpu_model, gpu_count,
                        height FROM escrow_payment_opened",
                &[],
            )
            .await
            .unwrap()
        {
            let key: PayKey = (r.get(0), r.get(1), r.get(2));
            let pay = Pay {
                rate: dec(&r.get::<_, String>(4)),
                denom: r.get(5),
                gpu_model: r.get(6),
                gpu_count: r.get(7),
                opened: r.get(8),
                closed: None,
                gaps: Vec::new(),
            };
            payments.insert(key, pay);
        }
        for r in c
            .query(
                "SELECT owner, dseq, payment_id, height FROM escrow_payment_closed",
                &[],
            )
            .await
            .unwrap()
        {
            let key: PayKey = (r.get(0), r.get(1), r.get(2));
            payments.get_mut(&key).unwrap().closed = Some(r.get(3));
        }
        // Exhaustions and reopens per account, in chain order.
        let mut gaps: HashMap<(String, i64), Vec<(i64, i64)>> = HashMap::new();
        let mut open_gap: HashMap<(String, i64), i64> = HashMap::new();
        for r in c
            .query(
                "SELECT owner, dseq, exhausted_at, NULL::bigint, block_height, phase, tx_index, event_index
                   FROM escrow_overdrawn
                 UNION ALL
                 SELECT owner, dseq, NULL, height, block_height, phase, tx_index, event_index
                   FROM escrow_reopened
                 ORDER BY 5, 6, 7, 8",
                &[],
            )
            .await
            .unwrap()
        {
            let acct: (String, i64) = (r.get(0), r.get(1));
            match (r.get::<_, Option<i64>>(2), r.get::<_, Option<i64>>(3)) {
                (Some(e), _) => {
                    open_gap.entry(acct).or_insert(e);
                }
                (None, Some(reopen)) => {
                    if let Some(e) = open_gap.remove(&acct) {
                        gaps.entry(acct).or_default().push((e, reopen));
                    }
                }
                _ => unreachable!(),
            }
        }
        // The account's last predicted exhaustion, if the chain passed it without a touch.
        let predicted = c
            .query(
                "SELECT DISTINCT ON (owner, dseq) owner, dseq, depletes_at FROM (
                   SELECT owner, dseq, depletes_at, block_height, phase, tx_index, event_index FROM escrow_deposited
                   UNION ALL SELECT owner, dseq, depletes_at, block_height, phase, tx_index, event_index FROM escrow_payment_opened
                   UNION ALL SELECT owner, dseq, depletes_at, block_height, phase, tx_index, event_index FROM escrow_settled
                   UNION ALL SELECT owner, dseq, depletes_at, block_height, phase, tx_index, event_index FROM escrow_reopened
                   UNION ALL SELECT owner, dseq, depletes_at, block_height, phase, tx_index, event_index FROM escrow_payment_closed
                 ) x ORDER BY owner, dseq, block_height DESC, phase DESC, tx_index DESC, event_index DESC",
                &[],
            )
            .await
            .unwrap();
        for r in predicted {
            let acct: (String, i64) = (r.get(0), r.get(1));
            if let Some(d) = r.get::<_, Option<i64>>(2) {
                if d <= tip && !open_gap.contains_key(&acct) {
                    open_gap.insert(acct, d);
                }
            }
        }
        for (acct, e) in open_gap {
            gaps.entry(acct).or_default().push((e, i64::MAX));
        }
        for ((owner, dseq, _), p) in payments.iter_mut() {
            p.gaps = gaps
                .get(&(owner.clone(), *dseq))
                .cloned()
                .unwrap_or_default();
        }
        let price = price_per_block(c, &blocks).await;
        Model {
            blocks,
            txs,
            payments,
            price,
        }
    }

    /// The latest indexed block.
    pub fn tip(&self) -> (i64, DateTime<Utc>) {
        *self.blocks.last().unwrap()
    }

    /// The last block at or before `t` (0 when none).
    pub fn height_at(&self, t: DateTime<Utc>) -> i64 {
        self.blocks
            .iter()
            .take_while(|(_, bt)| *bt <= t)
            .last()
            .map_or(0, |b| b.0)
    }

    /// Spend per (day, denom) over blocks `(lo, hi]`: base units, USD, estimated.
    pub fn spend(&self, lo: i64, hi: i64) -> DaySpend {
        let micro = dec("0.000001");
        let mut out = DaySpend::new();
        for p in self.payments.values() {
            for (i, (h, t)) in self.blocks.iter().enumerate() {
                if *h <= lo || *h > hi || !p.live(*h) {
                    continue;
                }
                let e = out.entry((t.date_naive(), p.denom.clone())).or_insert((
                    Decimal256::zero(),
                    Decimal256::zero(),
                    false,
                ));
                e.0 += p.rate;
                if p.denom == AKT_DENOM {
                    let (price, stale) = self.price[i];
                    e.1 += p.rate * price.unwrap_or_default() * micro;
                    e.2 |= stale || price.is_none();
                } else if p.denom == ACT_DENOM || p.denom == USDC_DENOM {
                    e.1 += p.rate * micro;
                }
            }
        }
        out
    }

    /// Spend per denom over `(lo, hi]`, all days together.
    pub fn window(&self, lo: i64, hi: i64) -> BTreeMap<String, (Decimal256, Decimal256, bool)> {
        let mut out: BTreeMap<String, (Decimal256, Decimal256, bool)> = BTreeMap::new();
        for ((_, denom), (s, u, e)) in self.spend(lo, hi) {
            let x = out
                .entry(denom)
                .or_insert((Decimal256::zero(), Decimal256::zero(), false));
            x.0 += s;
            x.1 += u;
            x.2 |= e;
        }
        out
    }

    /// Payments live after block `h` (block `h + 1` would be charged), per GPU model:
    /// (leases, GPUs).
    pub fn active_after(&self, h: i64) -> BTreeMap<String, (i64, i64)> {
        let mut out: BTreeMap<String, (i64, i64)> = BTreeMap::new();
        for p in self.payments.values() {
            if p.opened <= h && p.live(h + 1) {
                let e = out.entry(p.gpu_model.clone()).or_default();
                e.0 += 1;
                e.1 += p.gpu_count;
            }
        }
        out
    }

    /// Live blocks of `p` through `to`.
    pub fn live_through(&self, p: &Pay, to: i64) -> u64 {
        (p.opened + 1..=to).filter(|b| p.live(*b)).count() as u64
    }
}

/// The AKT/USD price in force at each block: the last healthy `price_aggregated` at or before
/// it; while the last one is unhealthy the healthy price before it is carried, flagged stale.
async fn price_per_block(
    c: &Client,
    blocks: &[(i64, DateTime<Utc>)],
) -> Vec<(Option<Decimal256>, bool)> {
    let rows = c
        .query(
            "SELECT block_height, health, price::text FROM oracle_price_aggregated
             WHERE pair = $1 ORDER BY block_height, phase, tx_index, event_index",
            &[&AKT_USD_PAIR],
        )
        .await
        .unwrap();
    let mut events = rows.iter().peekable();
    let (mut price, mut stale) = (None, false);
    let mut out = Vec::new();
    for (h, _) in blocks {
        while let Some(r) = events.next_if(|r| r.get::<_, i64>(0) <= *h) {
            let health: String = r.get(1);
            match (health.as_str(), r.get::<_, Option<String>>(2)) {
                ("healthy", Some(p)) => (price, stale) = (Some(dec(&p)), false),
                _ => stale = true,
            }
        }
        out.push((price, stale));
    }
    out
}
