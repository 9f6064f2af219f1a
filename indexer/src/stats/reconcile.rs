//! Reconciliation of one escrow account (DESIGN §7 "Settled", "reconciliation"): what its
//! payments' live blocks cost (spend) against what settlements charged (settled + debt).

use chrono::NaiveDate;
use deadpool_postgres::Pool;

use super::clock::parse_day;
use super::{query, trim_decimal, Now};
use crate::api::ApiError;

/// One UTC day of an account.
#[derive(async_graphql::SimpleObject, Clone, Debug, PartialEq, Eq)]
pub struct ReconDay {
    /// The UTC day.
    pub day: NaiveDate,
    /// The day of the latest indexed block.
    pub in_progress: bool,
    /// Σ rate over the payments' live blocks of the day (base units, exact).
    pub spend: String,
    /// What the day's settlements paid: Σ `payment_settled.amount` + Σ `debt_paid.amount`.
    pub settled: String,
    /// Net debt the day added: Σ `payment_settled.debt` − Σ `debt_paid.amount`.
    pub debt: String,
    /// `spend − settled − debt` of the day (lazy settlement moves charges to later days).
    pub difference: String,
    /// Σ `difference` from the account's first day through this one: spend accrued but not
    /// yet settled at the day's end.
    pub unsettled: String,
}

/// One payment at one settlement: the exact check of §4.1's rounding fix.
#[derive(async_graphql::SimpleObject, Clone, Debug, PartialEq, Eq)]
pub struct SettlementCheck {
    /// The payment.
    pub payment_id: i64,
    /// The block of the settlement.
    pub height: i64,
    /// The settlement charged blocks through this height.
    pub to_height: i64,
    /// Σ (`amount` + `debt`) over the payment's settlements so far.
    pub charged: String,
    /// floor(rate × the payment's live blocks through `to_height`).
    pub expected: String,
    /// `charged − expected` (0 when the contract and the indexer agree).
    pub difference: String,
}

/// The reconciliation of an account.
#[derive(async_graphql::SimpleObject, Clone, Debug, PartialEq, Eq)]
pub struct Reconciliation {
    /// The account owner.
    pub owner: String,
    /// The account's deployment sequence.
    pub dseq: i64,
    /// The account's denom.
    pub denom: String,
    /// Per UTC day.
    pub days: Vec<ReconDay>,
    /// Per payment settlement, in chain order.
    pub settlements: Vec<SettlementCheck>,
    /// Every settlement check has difference 0.
    pub agrees: bool,
}

/// **Reconciliation** of account (`owner`, `dseq`): per UTC day (within `from..=to` when
/// given) spend vs settled and debt, and per payment at every settlement height the charged
/// total (settled + debt) against floor(rate × live blocks through the settlement's
/// `to_height`), which after the §4.1 rounding fix must be equal.
pub async fn reconcile(
    pool: &Pool,
    owner: &str,
    dseq: i64,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<Reconciliation, ApiError> {
    let now = Now::read(pool).await?;
    let from = from.map(|s| parse_day("from", s)).transpose()?;
    let to = to.map(|s| parse_day("to", s)).transpose()?;
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            return Err(ApiError::bad_input("INVALID_RANGE", "from is after to"));
        }
    }
    let account = query(
        pool,
        "SELECT denom FROM escrow_account WHERE owner = $1 AND dseq = $2",
        &[&owner, &dseq],
    )
    .await?;
    let denom: String = account
        .first()
        .map(|r| r.get(0))
        .ok_or_else(|| ApiError::NotFound(format!("no escrow account {owner}/{dseq}")))?;
    let (from, to) = (
        from.unwrap_or(NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default()),
        to.unwrap_or(now.day()).min(now.day()),
    );
    let days = query(pool, DAYS_SQL, &[&owner, &dseq, &from, &to])
        .await?
        .iter()
        .map(|r| {
            let day: NaiveDate = r.get(0);
            let s = |i: usize| trim_decimal(&r.get::<_, String>(i));
            ReconDay {
                day,
                in_progress: day == now.day(),
                spend: s(1),
                settled: s(2),
                debt: s(3),
                difference: s(4),
                unsettled: s(5),
            }
        })
        .collect();
    let settlements: Vec<SettlementCheck> = query(pool, CHECK_SQL, &[&owner, &dseq])
        .await?
        .iter()
        .map(|r| SettlementCheck {
            payment_id: r.get(0),
            height: r.get(1),
            to_height: r.get(2),
            charged: r.get(3),
            expected: r.get(4),
            difference: r.get(5),
        })
        .collect();
    Ok(Reconciliation {
        owner: owner.to_string(),
        dseq,
        denom,
        days,
        agrees: settlements.iter().all(|s| s.difference == "0"),
        settlements,
    })
}

/// Per day from the account's opening: spend from live intervals over the day's heights
/// (`daily_network.first_height..=last_height`), settled and debt from the day's events.
const DAYS_SQL: &str = "
WITH a AS (SELECT opened_height, closed_height FROM escrow_account WHERE owner = $1 AND dseq = $2),
d AS (SELECT n.day, n.first_height, n.last_height FROM daily_network n, a
      WHERE n.last_height >= a.opened_height AND n.day <= $4),
sp AS (SELECT d.day,
              sum(p.rate * GREATEST(0, LEAST(coalesce(i.to_height, d.last_height), d.last_height)
                                     - GREATEST(i.from_height, d.first_height - 1))) AS spend
       FROM d JOIN payment_live_interval i
         ON i.owner = $1 AND i.dseq = $2 AND i.from_height < d.last_height
        AND (i.to_height IS NULL OR i.to_height >= d.first_height)
       JOIN escrow_payment p USING (owner, dseq, payment_id)
       GROUP BY d.day),
st AS (SELECT (block_time AT TIME ZONE 'UTC')::date AS day, sum(amount) AS amount, sum(debt) AS debt
       FROM escrow_payment_settled WHERE owner = $1 AND dseq = $2 GROUP BY 1),
dp AS (SELECT (block_time AT TIME ZONE 'UTC')::date AS day, sum(amount) AS amount
       FROM escrow_debt_paid WHERE owner = $1 AND dseq = $2 GROUP BY 1),
x AS (SELECT d.day, coalesce(sp.spend, 0) AS spend,
             coalesce(st.amount, 0) + coalesce(dp.amount, 0) AS settled,
             coalesce(st.debt, 0) - coalesce(dp.amount, 0) AS debt
      FROM d LEFT JOIN sp USING (day) LEFT JOIN st USING (day) LEFT JOIN dp USING (day)),
y AS (SELECT day, spend, settled, debt, spend - settled - debt AS difference,
             sum(spend - settled - debt) OVER (ORDER BY day) AS unsettled
      FROM x)
SELECT day, trim_scale(spend)::text, settled::text, debt::text, trim_scale(difference)::text,
       trim_scale(unsettled)::text
FROM y WHERE day >= $3 ORDER BY day";

/// Per payment settlement: the running charged total against floor(rate × live blocks).
const CHECK_SQL: &str = "
WITH s AS (SELECT payment_id, block_height, phase, tx_index, event_index, to_height,
                  sum(amount + debt) OVER (PARTITION BY payment_id
                      ORDER BY block_height, phase, tx_index, event_index) AS charged
           FROM escrow_payment_settled WHERE owner = $1 AND dseq = $2),
e AS (SELECT s.*, floor(p.rate * coalesce((
          SELECT sum(GREATEST(0, LEAST(coalesce(i.to_height, s.to_height), s.to_height) - i.from_height))
          FROM payment_live_interval i
          WHERE i.owner = $1 AND i.dseq = $2 AND i.payment_id = s.payment_id), 0)) AS expected
      FROM s JOIN escrow_payment p ON p.owner = $1 AND p.dseq = $2 AND p.payment_id = s.payment_id)
SELECT payment_id, block_height, to_height, charged::text, expected::text,
       (charged - expected)::text
FROM e ORDER BY block_height, phase, tx_index, event_index";
