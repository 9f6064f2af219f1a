//! The alerts' side of the store: the enabled rules the writer evaluates, and each batch's
//! transitions written into the outbox with the batch (so a transition is queued exactly once).

use std::str::FromStr;

use cosmwasm_std::Decimal256;
use tokio_postgres::Transaction;

use super::numeric::Numeric;
use super::StoreError;
use crate::alerts::deliver::CHANNEL;
use crate::alerts::rule::{AlertState, Comparator, Metric, Rule};
use crate::project::{AccountKey, Changes};

fn corrupt(id: i64, what: String) -> StoreError {
    StoreError::Corrupt {
        height: 0,
        reason: format!("alert {id}: {what}"),
    }
}

/// Every enabled alert.
pub async fn rules(tx: &Transaction<'_>) -> Result<Vec<Rule>, StoreError> {
    let rows = tx
        .query(
            "SELECT id, owner, dseq, name, metric, comparator, threshold, state
             FROM alert WHERE enabled ORDER BY id",
            &[],
        )
        .await?;
    rows.iter()
        .map(|r| {
            let id: i64 = r.get(0);
            let dseq: i64 = r.get(2);
            let threshold: Numeric = r.get(6);
            Ok(Rule {
                id,
                account: AccountKey {
                    owner: r.get(1),
                    dseq: u64::try_from(dseq).map_err(|e| corrupt(id, e.to_string()))?,
                },
                name: r.get(3),
                metric: Metric::from_str(r.get(4)).map_err(|e| corrupt(id, e))?,
                comparator: Comparator::from_str(r.get(5)).map_err(|e| corrupt(id, e))?,
                threshold: Decimal256::from_str(threshold.as_str())
                    .map_err(|e| corrupt(id, e.to_string()))?,
                state: AlertState::from_str(r.get(7)).map_err(|e| corrupt(id, e))?,
            })
        })
        .collect()
}

/// The delivery id of a transition: the same transition always has the same id.
pub fn delivery_id(alert_id: i64, height: u64, to: AlertState) -> String {
    format!("{alert_id}-{height}-{to}")
}

/// Queues the batch's transitions, records alert states, disables alerts of closed accounts.
pub async fn write(tx: &Transaction<'_>, c: &Changes) -> Result<(), StoreError> {
    for t in &c.alert_transitions {
        let height = i64::try_from(t.height).unwrap_or(i64::MAX);
        let value = t.value.map(|v| v.to_string());
        let id = delivery_id(t.alert_id, t.height, t.to);
        tx.execute(
            "INSERT INTO alert_delivery (delivery_id, alert_id, block_height, state, body)
             SELECT $1, a.id, $3, $4, jsonb_build_object(
                 'deliveryId', $1::text, 'alertId', a.id, 'name', a.name, 'note', a.note,
                 'owner', a.owner, 'dseq', a.dseq, 'metric', a.metric,
                 'comparator', a.comparator, 'threshold', a.threshold::text,
                 'value', $5::text, 'state', $4::text, 'previousState', $6::text,
                 'blockHeight', $3::bigint, 'blockTime', $7::timestamptz)
             FROM alert a WHERE a.id = $2
             ON CONFLICT (delivery_id) DO NOTHING",
            &[
                &id,
                &t.alert_id,
                &height,
                &t.to.as_str(),
                &value,
                &t.from.as_str(),
                &t.time,
            ],
        )
        .await?;
        tx.execute(
            "UPDATE alert SET state = $2, last_value = $3::text::numeric, last_height = $4,
                 updated_at = now()
             WHERE id = $1",
            &[&t.alert_id, &t.to.as_str(), &value, &height],
        )
        .await?;
    }
    for d in &c.alerts_disabled {
        tx.execute(
            "UPDATE alert SET enabled = FALSE, disabled_reason = $2, last_height = $3,
                 updated_at = now()
             WHERE id = $1",
            &[
                &d.alert_id,
                &d.reason,
                &i64::try_from(d.height).unwrap_or(i64::MAX),
            ],
        )
        .await?;
    }
    if !c.alert_transitions.is_empty() {
        // Delivered to listeners when the batch commits, not before.
        tx.batch_execute(&format!("NOTIFY {CHANNEL}")).await?;
    }
    Ok(())
}
