//! The projector's side of the store: loading the state it resumes from (what the last committed
//! batch left) and writing a batch's [`Changes`] in the batch's transaction.

use std::str::FromStr;

use cosmwasm_std::{Decimal256, Uint128};
use postgres_types::Type;
use supercloud_chain::AKT_USD_PAIR;
use supercloud_events::escrow::{AccountState, CloseReason, PaymentState};
use tokio_postgres::{Row, Transaction};

use super::insert::insert;
use super::numeric::Numeric;
use super::value::SqlValue;
use super::StoreError;
use crate::project::price::BlockPrice;
use crate::project::{
    Account, AccountKey, Allowance, AllowanceKey, Changes, Payment, PaymentKey, Projector,
};

fn corrupt(height: i64, what: &str) -> StoreError {
    StoreError::Corrupt {
        height,
        reason: format!("projection state: {what}"),
    }
}

fn num<T: FromStr>(row: &Row, col: &str) -> Result<T, StoreError> {
    let n: Numeric = row.try_get(col)?;
    n.as_str()
        .parse()
        .map_err(|_| corrupt(0, &format!("{col} = {}", n.as_str())))
}

fn opt_num<T: FromStr>(row: &Row, col: &str) -> Result<Option<T>, StoreError> {
    let n: Option<Numeric> = row.try_get(col)?;
    n.map(|n| {
        n.as_str()
            .parse()
            .map_err(|_| corrupt(0, &format!("{col} = {}", n.as_str())))
    })
    .transpose()
}

fn height(row: &Row, col: &str) -> Result<u64, StoreError> {
    let h: i64 = row.try_get(col)?;
    u64::try_from(h).map_err(|_| corrupt(h, col))
}

fn opt_height(row: &Row, col: &str) -> Result<Option<u64>, StoreError> {
    let h: Option<i64> = row.try_get(col)?;
    h.map(|h| u64::try_from(h).map_err(|_| corrupt(h, col)))
        .transpose()
}

fn parsed<T: FromStr>(row: &Row, col: &str) -> Result<T, StoreError> {
    let s: String = row.try_get(col)?;
    s.parse().map_err(|_| corrupt(0, &format!("{col} = {s}")))
}

fn opt_parsed<T: FromStr>(row: &Row, col: &str) -> Result<Option<T>, StoreError> {
    let s: Option<String> = row.try_get(col)?;
    s.map(|s| s.parse().map_err(|_| corrupt(0, &format!("{col} = {s}"))))
        .transpose()
}

/// The projector as the committed state at `cursor` leaves it.
pub(super) async fn load(client: &Transaction<'_>, cursor: u64) -> Result<Projector, StoreError> {
    let mut p = Projector::default();
    let day: Option<chrono::DateTime<chrono::Utc>> = client
        .query_one("SELECT block_time FROM sync_cursor", &[])
        .await?
        .get(0);
    p.escrow.set_day(day.map(|t| t.date_naive()));
    for row in client
        .query("SELECT * FROM escrow_account WHERE state <> 'closed'", &[])
        .await?
    {
        let key = AccountKey {
            owner: row.try_get("owner")?,
            dseq: height(&row, "dseq")?,
        };
        let account = Account {
            denom: row.try_get("denom")?,
            state: parsed::<AccountState>(&row, "state")?,
            opened_height: height(&row, "opened_height")?,
            closed_height: opt_height(&row, "closed_height")?,
            close_reason: opt_parsed::<CloseReason>(&row, "close_reason")?,
            balance: num(&row, "balance")?,
            account_rate: num(&row, "account_rate")?,
            depletes_at: opt_height(&row, "depletes_at")?,
            exhausted_at: opt_height(&row, "exhausted_at")?,
            deposited: num(&row, "deposited")?,
            last_top_up: opt_num(&row, "last_top_up")?,
            last_top_up_height: opt_height(&row, "last_top_up_height")?,
            updated_height: height(&row, "updated_height")?,
            payments: Default::default(),
        };
        p.escrow.load_account(key, account);
    }
    for row in client
        .query(
            "SELECT p.*, i.from_height AS live_from FROM escrow_payment p
             LEFT JOIN payment_live_interval i ON i.owner = p.owner AND i.dseq = p.dseq
                 AND i.payment_id = p.payment_id AND i.to_height IS NULL
             WHERE p.state <> 'closed'",
            &[],
        )
        .await?
    {
        let key = PaymentKey {
            owner: row.try_get("owner")?,
            dseq: height(&row, "dseq")?,
            payment_id: height(&row, "payment_id")?,
        };
        let gpu_count: i32 = row.try_get("gpu_count")?;
        let payment = Payment {
            provider: row.try_get("provider")?,
            denom: row.try_get("denom")?,
            rate: num(&row, "rate")?,
            gpu_model: row.try_get("gpu_model")?,
            gpu_count: u32::try_from(gpu_count).map_err(|_| corrupt(0, "gpu_count"))?,
            state: parsed::<PaymentState>(&row, "state")?,
            opened_height: height(&row, "opened_height")?,
            closed_height: opt_height(&row, "closed_height")?,
            close_reason: opt_parsed::<CloseReason>(&row, "close_reason")?,
            settled: num(&row, "settled")?,
            debt: num(&row, "debt")?,
            withdrawn: num(&row, "withdrawn")?,
            updated_height: height(&row, "updated_height")?,
            live: None,
        };
        let live_from = opt_height(&row, "live_from")?;
        p.escrow.load_payment(key, payment, live_from, cursor);
    }
    for row in client
        .query("SELECT * FROM escrow_allowance WHERE NOT revoked", &[])
        .await?
    {
        let key = AllowanceKey {
            granter: row.try_get("granter")?,
            grantee: row.try_get("grantee")?,
            denom: row.try_get("denom")?,
        };
        let allowance = Allowance {
            scope: row.try_get("scope")?,
            balance: num(&row, "balance")?,
            granted: num(&row, "granted")?,
            spent: num(&row, "spent")?,
            expires_at: opt_height(&row, "expires_at")?,
            revoked: row.try_get("revoked")?,
            updated_height: height(&row, "updated_height")?,
        };
        p.escrow.allowances.insert(key, allowance);
    }
    // The price in force: the last healthy aggregate, stale if a later one was not healthy.
    let last = client
        .query_opt(
            "SELECT health, price FROM oracle_price_aggregated WHERE pair = $1
             ORDER BY block_height DESC, phase DESC, tx_index DESC, event_index DESC LIMIT 1",
            &[&AKT_USD_PAIR],
        )
        .await?;
    let healthy = client
        .query_opt(
            "SELECT price FROM oracle_price_aggregated WHERE pair = $1 AND price IS NOT NULL
               AND health = 'healthy'
             ORDER BY block_height DESC, phase DESC, tx_index DESC, event_index DESC LIMIT 1",
            &[&AKT_USD_PAIR],
        )
        .await?;
    p.price.last = BlockPrice {
        akt_usd: match &healthy {
            Some(row) => opt_num::<Decimal256>(row, "price")?,
            None => None,
        },
        stale: match &last {
            Some(row) => row.try_get::<_, String>("health")? != "healthy",
            None => false,
        },
    };
    if let Some(row) = client
        .query_opt(
            "SELECT act_supply, vault_akt, cr_bps FROM daily_network ORDER BY day DESC LIMIT 1",
            &[],
        )
        .await?
    {
        p.network.levels.act_supply = opt_num::<Uint128>(&row, "act_supply")?;
        p.network.levels.vault_akt = opt_num::<Uint128>(&row, "vault_akt")?;
        let cr: Option<i64> = row.try_get("cr_bps")?;
        p.network.levels.cr_bps = cr.and_then(|c| u32::try_from(c).ok());
    }
    p.network.levels.price = p.price.last;
    Ok(p)
}

fn n(v: impl ToString) -> SqlValue {
    // Uint256 / Decimal256 render as plain decimals, which NUMERIC takes exactly.
    Numeric::parse(&v.to_string()).map_or(SqlValue::Null, SqlValue::Numeric)
}

fn h(v: u64) -> SqlValue {
    SqlValue::Big(i64::try_from(v).unwrap_or(i64::MAX))
}

fn oh(v: Option<u64>) -> SqlValue {
    v.map_or(SqlValue::Null, h)
}

fn t(v: impl ToString) -> SqlValue {
    SqlValue::Text(v.to_string())
}

fn ot(v: Option<impl ToString>) -> SqlValue {
    v.map_or(SqlValue::Null, t)
}

/// A column's name and type.
type Col = (&'static str, Type);

/// Inserts `rows`, updating rows whose key (the first `key` columns) exists with `update`.
async fn upsert(
    tx: &Transaction<'_>,
    table: &str,
    cols: &[Col],
    key: usize,
    update: &str,
    rows: &[Vec<SqlValue>],
) -> Result<(), StoreError> {
    let (names, types): (Vec<&str>, Vec<Type>) = cols.iter().cloned().unzip();
    let clause = format!(
        "ON CONFLICT ({}) DO UPDATE SET {update}",
        names[..key.min(names.len())].join(", ")
    );
    insert(tx, table, &names, &types, rows, Some(&clause)).await
}

/// `col = EXCLUDED.col` for each of `cols`.
fn replace(cols: &[Col]) -> String {
    cols.iter()
        .map(|(c, _)| format!("{c} = EXCLUDED.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Writes a batch's projection changes in `tx`.
pub(super) async fn write(tx: &Transaction<'_>, c: &Changes) -> Result<(), StoreError> {
    static ACCOUNT: [Col; 15] = [
        ("owner", Type::TEXT),
        ("dseq", Type::INT8),
        ("denom", Type::TEXT),
        ("state", Type::TEXT),
        ("opened_height", Type::INT8),
        ("closed_height", Type::INT8),
        ("close_reason", Type::TEXT),
        ("balance", Type::NUMERIC),
        ("account_rate", Type::NUMERIC),
        ("depletes_at", Type::INT8),
        ("exhausted_at", Type::INT8),
        ("deposited", Type::NUMERIC),
        ("last_top_up", Type::NUMERIC),
        ("last_top_up_height", Type::INT8),
        ("updated_height", Type::INT8),
    ];
    let rows: Vec<Vec<SqlValue>> = c
        .accounts
        .iter()
        .map(|(k, a)| {
            vec![
                t(&k.owner),
                h(k.dseq),
                t(&a.denom),
                t(a.state),
                h(a.opened_height),
                oh(a.closed_height),
                ot(a.close_reason),
                n(a.balance),
                n(a.account_rate),
                oh(a.depletes_at),
                oh(a.exhausted_at),
                n(a.deposited),
                a.last_top_up.map_or(SqlValue::Null, n),
                oh(a.last_top_up_height),
                h(a.updated_height),
            ]
        })
        .collect();
    let account_rows = rows;

    static PAYMENT: [Col; 16] = [
        ("owner", Type::TEXT),
        ("dseq", Type::INT8),
        ("payment_id", Type::INT8),
        ("provider", Type::TEXT),
        ("denom", Type::TEXT),
        ("rate", Type::NUMERIC),
        ("gpu_model", Type::TEXT),
        ("gpu_count", Type::INT4),
        ("state", Type::TEXT),
        ("opened_height", Type::INT8),
        ("closed_height", Type::INT8),
        ("close_reason", Type::TEXT),
        ("settled", Type::NUMERIC),
        ("debt", Type::NUMERIC),
        ("withdrawn", Type::NUMERIC),
        ("updated_height", Type::INT8),
    ];
    let rows: Vec<Vec<SqlValue>> = c
        .payments
        .iter()
        .map(|(k, p)| {
            vec![
                t(&k.owner),
                h(k.dseq),
                h(k.payment_id),
                t(&p.provider),
                t(&p.denom),
                n(p.rate),
                t(&p.gpu_model),
                SqlValue::Int(i32::try_from(p.gpu_count).unwrap_or(i32::MAX)),
                t(p.state),
                h(p.opened_height),
                oh(p.closed_height),
                ot(p.close_reason),
                n(p.settled),
                n(p.debt),
                n(p.withdrawn),
                h(p.updated_height),
            ]
        })
        .collect();
    let payment_rows = rows;

    static INTERVAL: [Col; 5] = [
        ("owner", Type::TEXT),
        ("dseq", Type::INT8),
        ("payment_id", Type::INT8),
        ("from_height", Type::INT8),
        ("to_height", Type::INT8),
    ];
    let rows: Vec<Vec<SqlValue>> = c
        .intervals
        .iter()
        .map(|((k, from), to)| vec![t(&k.owner), h(k.dseq), h(k.payment_id), h(*from), oh(*to)])
        .collect();
    let interval_rows = rows;

    static ALLOWANCE: [Col; 10] = [
        ("granter", Type::TEXT),
        ("grantee", Type::TEXT),
        ("denom", Type::TEXT),
        ("scope", Type::TEXT),
        ("balance", Type::NUMERIC),
        ("granted", Type::NUMERIC),
        ("spent", Type::NUMERIC),
        ("expires_at", Type::INT8),
        ("revoked", Type::BOOL),
        ("updated_height", Type::INT8),
    ];
    let rows: Vec<Vec<SqlValue>> = c
        .allowances
        .iter()
        .map(|(k, a)| {
            vec![
                t(&k.granter),
                t(&k.grantee),
                t(&k.denom),
                ot(a.scope.as_ref()),
                n(a.balance),
                n(a.granted),
                n(a.spent),
                oh(a.expires_at),
                SqlValue::Bool(a.revoked),
                h(a.updated_height),
            ]
        })
        .collect();
    // Different tables: the statements go out pipelined.
    let (account_update, payment_update) = (replace(&ACCOUNT[2..]), replace(&PAYMENT[3..]));
    let (interval_update, allowance_update) = (replace(&INTERVAL[4..]), replace(&ALLOWANCE[3..]));
    futures::try_join!(
        upsert(
            tx,
            "escrow_account",
            &ACCOUNT,
            2,
            &account_update,
            &account_rows
        ),
        upsert(
            tx,
            "escrow_payment",
            &PAYMENT,
            3,
            &payment_update,
            &payment_rows
        ),
        upsert(
            tx,
            "payment_live_interval",
            &INTERVAL,
            4,
            &interval_update,
            &interval_rows
        ),
        upsert(
            tx,
            "escrow_allowance",
            &ALLOWANCE,
            3,
            &allowance_update,
            &rows
        ),
        write_daily(tx, c),
    )?;
    Ok(())
}

/// The per-day rollups: additions to flows, replacements of levels and snapshots.
async fn write_daily(tx: &Transaction<'_>, c: &Changes) -> Result<(), StoreError> {
    static LEASE: [Col; 12] = [
        ("day", Type::DATE),
        ("denom", Type::TEXT),
        ("provider", Type::TEXT),
        ("owner", Type::TEXT),
        ("gpu_model", Type::TEXT),
        ("spend", Type::NUMERIC),
        ("spend_usd", Type::NUMERIC),
        ("usd_estimated", Type::BOOL),
        ("live_blocks", Type::INT8),
        ("leases_opened", Type::INT4),
        ("leases_active", Type::INT4),
        ("gpus_active", Type::INT4),
    ];
    let key = 5;
    let rows: Vec<Vec<SqlValue>> = c
        .lease_days
        .iter()
        .map(|((day, g), d)| {
            vec![
                SqlValue::Date(*day),
                t(&g.denom),
                t(&g.provider),
                t(&g.owner),
                t(&g.gpu_model),
                n(d.spend),
                d.spend_usd.map_or(SqlValue::Null, n),
                SqlValue::Bool(d.usd_estimated),
                h(d.live_blocks),
                SqlValue::Int(i32::try_from(d.leases_opened).unwrap_or(i32::MAX)),
                SqlValue::Int(0),
                SqlValue::Int(0),
            ]
        })
        .collect();
    upsert(
        tx,
        "daily_lease",
        &LEASE,
        key,
        "spend = trim_scale(daily_lease.spend + EXCLUDED.spend),
         spend_usd = CASE WHEN daily_lease.spend_usd IS NULL AND EXCLUDED.spend_usd IS NULL
             THEN NULL
             ELSE trim_scale(coalesce(daily_lease.spend_usd, 0) + coalesce(EXCLUDED.spend_usd, 0)) END,
         usd_estimated = daily_lease.usd_estimated OR EXCLUDED.usd_estimated,
         live_blocks = daily_lease.live_blocks + EXCLUDED.live_blocks,
         leases_opened = daily_lease.leases_opened + EXCLUDED.leases_opened",
        &rows,
    )
    .await?;
    for (day, snap) in &c.snapshots {
        if snap.full {
            tx.execute(
                "UPDATE daily_lease SET leases_active = 0, gpus_active = 0
                 WHERE day = $1 AND (leases_active <> 0 OR gpus_active <> 0)",
                &[day],
            )
            .await?;
        }
        let rows: Vec<Vec<SqlValue>> = snap
            .rows
            .iter()
            .map(|(g, (leases, gpus))| {
                vec![
                    SqlValue::Date(*day),
                    t(&g.denom),
                    t(&g.provider),
                    t(&g.owner),
                    t(&g.gpu_model),
                    n(0u8),
                    SqlValue::Null,
                    SqlValue::Bool(false),
                    h(0),
                    SqlValue::Int(0),
                    SqlValue::Int(i32::try_from(*leases).unwrap_or(i32::MAX)),
                    SqlValue::Int(i32::try_from(*gpus).unwrap_or(i32::MAX)),
                ]
            })
            .collect();
        upsert(
            tx,
            "daily_lease",
            &LEASE,
            key,
            &replace(&LEASE[10..]),
            &rows,
        )
        .await?;
    }

    static DEPOSITOR: [Col; 5] = [
        ("day", Type::DATE),
        ("denom", Type::TEXT),
        ("depositor", Type::TEXT),
        ("owner", Type::TEXT),
        ("amount", Type::NUMERIC),
    ];
    let rows: Vec<Vec<SqlValue>> = c
        .depositor_days
        .iter()
        .map(|((day, denom, depositor, owner), amount)| {
            vec![
                SqlValue::Date(*day),
                t(denom),
                t(depositor),
                t(owner),
                n(amount),
            ]
        })
        .collect();
    upsert(
        tx,
        "daily_depositor_spend",
        &DEPOSITOR,
        4,
        "amount = trim_scale(daily_depositor_spend.amount + EXCLUDED.amount)",
        &rows,
    )
    .await?;

    static NETWORK: [Col; 15] = [
        ("day", Type::DATE),
        ("first_height", Type::INT8),
        ("last_height", Type::INT8),
        ("last_time", Type::TIMESTAMPTZ),
        ("blocks", Type::INT8),
        ("act_minted", Type::NUMERIC),
        ("act_burned", Type::NUMERIC),
        ("akt_vaulted", Type::NUMERIC),
        ("pip_paid_usd", Type::NUMERIC),
        ("reserved_gpu_seconds", Type::INT8),
        ("act_supply", Type::NUMERIC),
        ("vault_akt", Type::NUMERIC),
        ("cr_bps", Type::INT8),
        ("akt_usd", Type::NUMERIC),
        ("price_stale", Type::BOOL),
    ];
    let rows: Vec<Vec<SqlValue>> = c
        .network_days
        .iter()
        .map(|(day, d)| {
            let l = &d.levels;
            vec![
                SqlValue::Date(*day),
                h(d.first_height),
                h(d.last_height),
                SqlValue::Time(d.last_time),
                h(d.blocks),
                n(d.act_minted),
                n(d.act_burned),
                n(d.akt_vaulted),
                n(d.pip_paid_usd),
                h(d.reserved_gpu_seconds),
                l.act_supply.map_or(SqlValue::Null, n),
                l.vault_akt.map_or(SqlValue::Null, n),
                oh(l.cr_bps.map(u64::from)),
                l.price.akt_usd.map_or(SqlValue::Null, n),
                SqlValue::Bool(d.price_stale),
            ]
        })
        .collect();
    upsert(
        tx,
        "daily_network",
        &NETWORK,
        1,
        "first_height = LEAST(daily_network.first_height, EXCLUDED.first_height),
         last_height = GREATEST(daily_network.last_height, EXCLUDED.last_height),
         last_time = GREATEST(daily_network.last_time, EXCLUDED.last_time),
         blocks = daily_network.blocks + EXCLUDED.blocks,
         act_minted = daily_network.act_minted + EXCLUDED.act_minted,
         act_burned = daily_network.act_burned + EXCLUDED.act_burned,
         akt_vaulted = daily_network.akt_vaulted + EXCLUDED.akt_vaulted,
         pip_paid_usd = trim_scale(daily_network.pip_paid_usd + EXCLUDED.pip_paid_usd),
         reserved_gpu_seconds = daily_network.reserved_gpu_seconds + EXCLUDED.reserved_gpu_seconds,
         act_supply = EXCLUDED.act_supply, vault_akt = EXCLUDED.vault_akt,
         cr_bps = EXCLUDED.cr_bps, akt_usd = EXCLUDED.akt_usd,
         price_stale = daily_network.price_stale OR EXCLUDED.price_stale",
        &rows,
    )
    .await
}
