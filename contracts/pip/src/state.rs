//! Stored state. Pilots by id; enrollments and approved providers per pilot; per-epoch results
//! per provider; payouts indexed by provider; the in-progress settlement cursor per pilot. The
//! stored types are the message types of [`crate::msg`].

use cosmwasm_std::Addr;
use cw_storage_plus::{Item, Map};

use crate::msg::{Config, Enrollment, EpochResult, EpochSummary, Payout, Pilot, Progress};

pub const CONFIG: Item<Config> = Item::new("config");
pub const NEXT_PILOT_ID: Item<u64> = Item::new("next_pilot");
pub const PILOTS: Map<u64, Pilot> = Map::new("pilots");
/// (pilot, provider) -> enrollment (pending and approved).
pub const ENROLLMENTS: Map<(u64, &Addr), Enrollment> = Map::new("enrollments");
/// (pilot, provider) -> approval height; what settlement iterates.
pub const APPROVED: Map<(u64, &Addr), u64> = Map::new("approved");
/// pilot -> settlement in progress.
pub const PROGRESS: Map<u64, Progress> = Map::new("progress");
/// (pilot, epoch, provider) -> result.
pub const RESULTS: Map<(u64, u32, &Addr), EpochResult> = Map::new("results");
/// (pilot, epoch) -> summary of a completed epoch.
pub const EPOCHS: Map<(u64, u32), EpochSummary> = Map::new("epochs");
/// (provider, pilot, epoch) -> non-zero payout.
pub const PAYOUTS: Map<(&Addr, u64, u32), Payout> = Map::new("payouts");
