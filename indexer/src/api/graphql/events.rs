//! Catalogue event connections (one table per event, `<contract>_<action>`), paged by chain
//! position, with height and block-time ranges.

use async_graphql::{Context, Object};
use chrono::{DateTime, Utc};

use super::connection::{Conn, HeightOrder, Keyset, PageArgs, POSITION_KEY};
use super::filter;
use super::node::event_node;
use super::resolve;
use crate::api::sql::{Param, Where};
use crate::api::ApiError;

event_node! {
    /// `oracle.price_aggregated`: the price in force from this block on.
    OraclePriceAggregated {
        /// The pair, e.g. `AKT/USD`.
        pair: String = "pair",
        /// The aggregate (absent while unhealthy; exact decimal string).
        price: Option<String> = "price::text",
        /// The pair's health.
        health: String = "health",
        /// Sources in the median.
        sources_used: i64 = "sources_used",
        /// Healthy sources left out as outliers, joined by `,`.
        left_out: Option<String> = "left_out",
        /// Height the contract recorded.
        height: i64 = "height",
        /// Unix seconds the contract recorded.
        time: i64 = "\"time\"",
    }
}

event_node! {
    /// `bme.record_executed`: a mint or burn request executed.
    BmeRecordExecuted {
        /// The request id.
        id: i64 = "id",
        /// mint | burn.
        kind: String = "kind",
        /// The requester.
        owner: String = "owner",
        /// Amount burned (exact integer string).
        burned: String = "burned::text",
        /// Denom burned.
        burned_denom: String = "burned_denom",
        /// Gross amount minted (exact integer string).
        minted: String = "minted::text",
        /// Denom minted.
        minted_denom: String = "minted_denom",
        /// Withheld spread (exact integer string).
        spread: String = "spread::text",
        /// Credited to the owner (exact integer string).
        paid: String = "paid::text",
        /// The execution price (exact decimal string).
        price: String = "price::text",
        /// Attempts so far.
        attempts: i64 = "attempts",
        /// The owner's ACT after.
        balance: String = "balance::text",
        /// ACT supply after.
        supply: String = "supply::text",
        /// AKT in the vault after.
        vault_akt: String = "vault_akt::text",
        /// Remint credits after.
        remint_credits: String = "remint_credits::text",
        /// Pending AKT after.
        pending_akt: String = "pending_akt::text",
        /// Pending ACT after.
        pending_act: String = "pending_act::text",
        /// Collateral ratio after, in basis points.
        cr_bps: i64 = "cr_bps",
        /// Height the contract recorded.
        height: i64 = "height",
    }
}

event_node! {
    /// `pip.epoch_settled`: a provider's payout for a pilot epoch.
    PipEpochSettled {
        /// The pilot.
        pilot_id: i64 = "pilot_id",
        /// The epoch.
        epoch: i64 = "epoch",
        /// The provider paid.
        provider: String = "provider",
        /// Paid (exact integer string).
        amount: String = "amount::text",
        /// Denom paid.
        denom: String = "denom",
        /// gpu_seconds | usd.
        basis: String = "basis",
        /// Eligible GPU-seconds (exact integer string).
        basis_amount: String = "basis_amount::text",
        /// Committed USD (exact decimal string).
        usd: Option<String> = "usd::text",
        /// Oracle USD per whole token used (exact decimal string).
        price: Option<String> = "price::text",
        /// What others paid the provider in the range.
        value: String = "value::text",
        /// Whether the provider qualified.
        qualified: bool = "qualified",
        /// Whether the amount was capped below `due`.
        capped: bool = "capped",
        /// Budget left after.
        remaining: String = "remaining::text",
        /// What the kind's rule gives.
        due: String = "due::text",
        /// The value cap.
        value_cap: String = "value_cap::text",
        /// The cap's multiple (exact decimal string).
        max_payout_multiple: String = "max_payout_multiple::text",
        /// The payout's USD value (exact decimal string).
        amount_usd: Option<String> = "amount_usd::text",
    }
}

event_node! {
    /// `reservations.reservation_requested`: a tenant prepaid a host reservation.
    ReservationsReservationRequested {
        /// The reservation id.
        id: i64 = "id",
        /// The provider.
        provider: String = "provider",
        /// The host.
        host_id: String = "host_id",
        /// The tenant.
        tenant: String = "tenant",
        /// Start, unix seconds.
        start: i64 = "\"start\"",
        /// End (exclusive), unix seconds.
        end: i64 = "\"end\"",
        /// Price per hour (exact integer string).
        price_per_hour: String = "price_per_hour::text",
        /// Prepaid total (exact integer string).
        total: String = "total::text",
        /// Denom paid.
        denom: String = "denom",
        /// GPU model.
        gpu_model: String = "gpu_model",
        /// GPUs reserved.
        gpu_count: i64 = "gpu_count",
        /// The provider must confirm by then (unix seconds).
        confirm_deadline: i64 = "confirm_deadline",
        /// Whether the host had a valid attestation.
        attested: bool = "attested",
        /// Reclamation window in seconds.
        reclamation_window_s: Option<i64> = "reclamation_window_s",
    }
}

/// Keyset of a catalogue event table.
pub(super) const fn events(table: &'static str) -> Keyset {
    Keyset {
        entity: table,
        table,
        key: POSITION_KEY,
    }
}

const PRICES: Keyset = events("oracle_price_aggregated");
const BME: Keyset = events("bme_record_executed");
const PIP: Keyset = events("pip_epoch_settled");
const RESERVATIONS: Keyset = events("reservations_reservation_requested");

/// Height and block-time bounds of an event query.
pub(super) fn position(
    w: &mut Where,
    from_height: Option<i64>,
    to_height: Option<i64>,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
) -> Result<(), ApiError> {
    filter::heights(w, "block_height", from_height, to_height)?;
    filter::times(w, "block_time", from, to)
}

/// The catalogue event fields of `Query`.
#[derive(Default)]
pub struct EventQuery;

#[Object]
impl EventQuery {
    /// Oracle aggregate prices, each in force from its block on.
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "super::connection::page_cost(first, last, child_complexity)")]
    async fn oracle_prices(
        &self,
        ctx: &Context<'_>,
        pair: Option<String>,
        from_height: Option<i64>,
        to_height: Option<i64>,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
        #[graphql(default)] order_by: HeightOrder,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<Conn<OraclePriceAggregated>> {
        let mut w = Where::default();
        filter::text(&mut w, "pair", pair);
        position(&mut w, from_height, to_height, from, to)?;
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        resolve(ctx, &PRICES, w, args, order_by.into()).await
    }

    /// Executed BME mint and burn records.
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "super::connection::page_cost(first, last, child_complexity)")]
    async fn bme_records(
        &self,
        ctx: &Context<'_>,
        owner: Option<String>,
        from_height: Option<i64>,
        to_height: Option<i64>,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
        #[graphql(default)] order_by: HeightOrder,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<Conn<BmeRecordExecuted>> {
        let mut w = Where::default();
        filter::text(&mut w, "owner", owner);
        position(&mut w, from_height, to_height, from, to)?;
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        resolve(ctx, &BME, w, args, order_by.into()).await
    }

    /// Provider incentive payouts per pilot epoch.
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "super::connection::page_cost(first, last, child_complexity)")]
    async fn pip_payouts(
        &self,
        ctx: &Context<'_>,
        provider: Option<String>,
        pilot_id: Option<i64>,
        denom: Option<String>,
        from_height: Option<i64>,
        to_height: Option<i64>,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
        #[graphql(default)] order_by: HeightOrder,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<Conn<PipEpochSettled>> {
        let mut w = Where::default();
        filter::text(&mut w, "provider", provider);
        w.eq("pilot_id", pilot_id.map(Param::Big));
        filter::text(&mut w, "denom", denom);
        position(&mut w, from_height, to_height, from, to)?;
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        resolve(ctx, &PIP, w, args, order_by.into()).await
    }

    /// Reservation requests (prepaid bare-metal host reservations).
    #[allow(clippy::too_many_arguments)]
    #[graphql(complexity = "super::connection::page_cost(first, last, child_complexity)")]
    async fn reservations(
        &self,
        ctx: &Context<'_>,
        provider: Option<String>,
        tenant: Option<String>,
        gpu_model: Option<String>,
        denom: Option<String>,
        from_height: Option<i64>,
        to_height: Option<i64>,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
        #[graphql(default)] order_by: HeightOrder,
        first: Option<i32>,
        after: Option<String>,
        last: Option<i32>,
        before: Option<String>,
    ) -> async_graphql::Result<Conn<ReservationsReservationRequested>> {
        let mut w = Where::default();
        filter::text(&mut w, "provider", provider);
        filter::text(&mut w, "tenant", tenant);
        filter::text(&mut w, "gpu_model", gpu_model);
        filter::text(&mut w, "denom", denom);
        position(&mut w, from_height, to_height, from, to)?;
        let args = PageArgs {
            first,
            after,
            last,
            before,
        };
        resolve(ctx, &RESERVATIONS, w, args, order_by.into()).await
    }
}

#[cfg(test)]
mod catalogue_tests {
    //! The event nodes list their fields by hand (each with its GraphQL doc): they must name
    //! exactly the catalogue's fields of their table, so a catalogue change cannot leave the API
    //! behind unnoticed.

    use std::collections::BTreeSet;

    use super::super::connection::Node;
    use super::super::escrow_events::{EscrowDeposited, EscrowPaymentSettled};
    use super::ReservationsReservationRequested;
    use super::{BmeRecordExecuted, OraclePriceAggregated, PipEpochSettled};
    use crate::store::catalogue::{table_name, POSITION_COLUMNS};

    fn fields_of(table: &str) -> BTreeSet<String> {
        let meta = supercloud_events::all_events()
            .find(|m| table_name(m) == table)
            .unwrap_or_else(|| panic!("no catalogue event for {table}"));
        POSITION_COLUMNS
            .iter()
            .map(|(n, _, _)| n.to_string())
            .chain(meta.fields.iter().map(|f| f.name.to_string()))
            .collect()
    }

    fn listed<N: Node>() -> BTreeSet<String> {
        N::COLUMNS.iter().map(|(_, f)| f.to_string()).collect()
    }

    #[test]
    fn every_event_node_names_exactly_its_catalogue_fields() {
        let nodes = [
            ("escrow_deposited", listed::<EscrowDeposited>()),
            ("escrow_payment_settled", listed::<EscrowPaymentSettled>()),
            ("oracle_price_aggregated", listed::<OraclePriceAggregated>()),
            ("bme_record_executed", listed::<BmeRecordExecuted>()),
            ("pip_epoch_settled", listed::<PipEpochSettled>()),
            (
                "reservations_reservation_requested",
                listed::<ReservationsReservationRequested>(),
            ),
        ];
        for (table, listed) in nodes {
            assert_eq!(listed, fields_of(table), "{table}");
        }
    }
}
