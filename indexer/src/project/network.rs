//! Network figures per UTC day (DESIGN §7 "Rolling 24 h values … daily series"): ACT minted and
//! burned, AKT into the vault, PIP payouts in USD and reserved GPU-seconds summed over the day;
//! ACT supply, vault AKT, CR and the AKT price as of the day's last block (carried across days
//! without events, so every day with blocks has its levels).

use chrono::{DateTime, NaiveDate, Utc};
use cosmwasm_std::{Decimal256, Uint128, Uint256};
use supercloud_events::bme::{BmeEvent, RequestKind};
use supercloud_events::pip::PipEvent;
use supercloud_events::reservations::ReservationsEvent;
use supercloud_events::SupercloudEvent;

use super::price::BlockPrice;
use super::Changes;

/// Levels carried from block to block.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Levels {
    pub act_supply: Option<Uint128>,
    pub vault_akt: Option<Uint128>,
    pub cr_bps: Option<u32>,
    pub price: BlockPrice,
}

/// One `daily_network` row's contribution from a batch: flows are added to the stored row,
/// heights widen it, levels replace it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NetworkDay {
    pub first_height: u64,
    pub last_height: u64,
    pub last_time: DateTime<Utc>,
    pub blocks: u64,
    pub act_minted: Uint256,
    pub act_burned: Uint256,
    pub akt_vaulted: Uint256,
    pub pip_paid_usd: Decimal256,
    pub reserved_gpu_seconds: u64,
    pub levels: Levels,
    /// Some block of the day used a carried price.
    pub price_stale: bool,
}

/// The levels in force, between batches.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NetworkBook {
    pub levels: Levels,
}

impl NetworkBook {
    /// Counts block `height` in its day, with the price in force at it.
    pub fn block(
        &mut self,
        height: u64,
        time: DateTime<Utc>,
        price: BlockPrice,
        out: &mut Changes,
    ) {
        self.levels.price = price;
        let levels = self.levels;
        let day = out
            .network_days
            .entry(time.date_naive())
            .or_insert_with(|| NetworkDay {
                first_height: height,
                last_height: height,
                last_time: time,
                blocks: 0,
                act_minted: Uint256::zero(),
                act_burned: Uint256::zero(),
                akt_vaulted: Uint256::zero(),
                pip_paid_usd: Decimal256::zero(),
                reserved_gpu_seconds: 0,
                levels,
                price_stale: false,
            });
        day.last_height = height;
        day.last_time = time;
        day.blocks = day.blocks.saturating_add(1);
        day.levels = levels;
        day.price_stale |= price.stale;
    }

    /// Applies a non-escrow event of a block of `day` (after [`Self::block`] for that block).
    pub fn apply(&mut self, day: NaiveDate, ev: &SupercloudEvent, out: &mut Changes) {
        let Some(row) = out.network_days.get_mut(&day) else {
            return;
        };
        match ev {
            SupercloudEvent::Bme(BmeEvent::RecordExecuted(e)) => {
                match e.kind {
                    RequestKind::Mint => {
                        row.act_minted = row.act_minted.saturating_add(e.paid.into());
                        row.akt_vaulted = row.akt_vaulted.saturating_add(e.burned.into());
                    }
                    RequestKind::Burn => {
                        row.act_burned = row.act_burned.saturating_add(e.burned.into());
                    }
                }
                self.levels.act_supply = Some(e.supply);
                self.levels.vault_akt = Some(e.vault_akt);
                self.levels.cr_bps = Some(e.cr_bps);
            }
            SupercloudEvent::Bme(BmeEvent::RecordCancelled(e)) => {
                self.levels.act_supply = Some(e.supply);
                self.levels.cr_bps = Some(e.cr_bps);
            }
            SupercloudEvent::Bme(BmeEvent::ModeChanged(e)) => self.levels.cr_bps = Some(e.cr_bps),
            SupercloudEvent::Bme(BmeEvent::VaultFunded(e)) => {
                self.levels.vault_akt = Some(e.vault_akt)
            }
            SupercloudEvent::Pip(PipEvent::EpochSettled(e)) => {
                if let Some(usd) = e.amount_usd {
                    row.pip_paid_usd = row.pip_paid_usd.saturating_add(usd);
                }
            }
            SupercloudEvent::Reservations(ReservationsEvent::Claimed(e)) => {
                row.reserved_gpu_seconds = row.reserved_gpu_seconds.saturating_add(e.gpu_seconds);
            }
            _ => {}
        }
        row.levels = Levels {
            price: row.levels.price,
            ..self.levels
        };
    }
}
