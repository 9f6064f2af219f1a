//! Verified work (DESIGN §4.1, §4.4, §4.5): one query and one response shared by every contract
//! that records what a provider was actually paid for, and by every consumer that reads it.
//!
//! Two sources answer [`VerifiedWorkQuery`] today:
//! - **escrow**: lease payments, booked when a lease is settled, at the settlement height, for the
//!   blocks the settlement covers;
//! - **reservations**: reserved time of attested hosts, booked when the provider is paid (a claim
//!   or a reclamation end), at the paying block's height, only if the host holds a valid
//!   attestation then.
//!
//! Both count work in heights `(from_height, to_height]`, so a consumer (the incentive pilots)
//! sends the same message to each source and adds the answers. Work that has not been settled or
//! claimed yet is not in any range: it appears at the height where it is paid.
//!
//! Each source keeps its own `QueryMsg::VerifiedWork` variant (for its schema); its JSON is
//! identical to [`VerifiedWorkQuery::VerifiedWork`], which is what a consumer sends.

use cosmwasm_schema::{cw_serde, QueryResponses};
use cosmwasm_std::{Addr, Order, StdResult, Storage, Uint128, Uint256};
use cw_storage_plus::{Bound, Map};
use serde::{de::DeserializeOwned, Serialize};

/// The verified-work query, as a consumer sends it to any source.
#[cw_serde]
#[derive(QueryResponses)]
pub enum VerifiedWorkQuery {
    /// `provider`'s work booked in heights `(from_height, to_height]`: value paid in `denom` and
    /// GPU work on `gpu_model`. `from_height > to_height` is an error; equal heights give zero.
    #[returns(VerifiedWorkResponse)]
    VerifiedWork {
        provider: String,
        denom: String,
        gpu_model: String,
        from_height: u64,
        to_height: u64,
    },
}

/// A provider's verified work booked in heights `(from_height, to_height]`.
///
/// `value` is per denom and independent of `gpu_model`: querying several models of one source in
/// the same range returns the same `value` each time, so a consumer counts it once per source.
#[cw_serde]
pub struct VerifiedWorkResponse {
    /// The provider (validated address).
    pub provider: Addr,
    /// Exclusive lower bound of the height range, as asked.
    pub from_height: u64,
    /// Inclusive upper bound of the height range, as asked.
    pub to_height: u64,
    /// Denom of `value`, as asked.
    pub denom: String,
    /// Value paid to the provider in `denom` in the range, over all GPU models. Escrow: what lease
    /// settlements moved to the provider's withdrawable balance. Reservations: what claims paid
    /// for reserved time of attested hosts (cancellation fees are not work).
    pub value: Uint256,
    /// GPU model of `gpu_blocks` and `gpu_seconds`, as asked.
    pub gpu_model: String,
    /// Σ GPU count × blocks paid in full on `gpu_model`. Escrow: leases' blocks covered by the
    /// account's funds. Reservations: always zero (reservations are timed in seconds).
    pub gpu_blocks: Uint128,
    /// Σ GPU count × seconds paid for on `gpu_model`. Escrow: seconds of the blocks paid in full.
    /// Reservations: claimed seconds of attested hosts' reserved terms.
    pub gpu_seconds: Uint128,
}

/// Cumulative checkpoints of one quantity: `(provider, key, height) -> total up to that height`,
/// where `key` is a denom or a GPU model. Sources book work by writing a new running total at the
/// paying height; "work in `(h0, h1]`" is then `checkpoint_at(h1) - checkpoint_at(h0)`.
pub type Checkpoints<'a, T> = Map<(&'a Addr, &'a str, u64), T>;

/// The last checkpoint under `(provider, key)` at or before `height`; the default (zero) before
/// the first one. One descending range step: O(log n) in the number of checkpoints.
pub fn checkpoint_at<T>(
    map: &Checkpoints<T>,
    storage: &dyn Storage,
    provider: &Addr,
    key: &str,
    height: u64,
) -> StdResult<T>
where
    T: Default + Serialize + DeserializeOwned,
{
    let last = map
        .prefix((provider, key))
        .range(
            storage,
            None,
            Some(Bound::inclusive(height)),
            Order::Descending,
        )
        .next()
        .transpose()?;
    Ok(last.map(|(_, v)| v).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosmwasm_std::{from_json, to_json_string};

    #[test]
    fn query_has_the_sources_wire_shape() {
        // Exactly what escrow's and reservations' `QueryMsg::VerifiedWork` serialize to.
        let expected = r#"{"verified_work":{"provider":"cosmwasm1provider","denom":"uakt","gpu_model":"h100","from_height":100,"to_height":200}}"#;
        let q = VerifiedWorkQuery::VerifiedWork {
            provider: "cosmwasm1provider".into(),
            denom: "uakt".into(),
            gpu_model: "h100".into(),
            from_height: 100,
            to_height: 200,
        };
        assert_eq!(to_json_string(&q).unwrap(), expected);
        assert_eq!(from_json::<VerifiedWorkQuery>(expected).unwrap(), q);
    }

    #[test]
    fn response_has_the_sources_wire_shape() {
        let expected = r#"{"provider":"cosmwasm1provider","from_height":100,"to_height":200,"denom":"uakt","value":"3000","gpu_model":"h100","gpu_blocks":"1200","gpu_seconds":"7200"}"#;
        let r = VerifiedWorkResponse {
            provider: Addr::unchecked("cosmwasm1provider"),
            from_height: 100,
            to_height: 200,
            denom: "uakt".into(),
            value: Uint256::from(3_000u128),
            gpu_model: "h100".into(),
            gpu_blocks: Uint128::new(1_200),
            gpu_seconds: Uint128::new(7_200),
        };
        assert_eq!(to_json_string(&r).unwrap(), expected);
        assert_eq!(from_json::<VerifiedWorkResponse>(expected).unwrap(), r);
    }
}
