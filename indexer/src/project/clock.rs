//! The blocks of one batch as the spend accrual needs them: the UTC day of each height and
//! prefix sums of the price in force, so the spend of a run of blocks is O(1) however long.

use std::fmt;

use chrono::NaiveDate;
use cosmwasm_std::{Decimal256, Uint256};

use super::price::{BlockPrice, UsdKind, UsdRule};
use super::BlockIn;

/// A USD amount kept exactly: units of 10^-42 USD (a rate and a price have 18 decimals each, and
/// base units are 10^-6 tokens), so the sum of any split of a run of blocks is the same number
/// and a restart or a `reindex` gives identical rollups.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Usd(pub Uint256);

/// Decimal places of [`Usd`].
const USD_SCALE: usize = 42;

impl Usd {
    /// Saturating sum.
    pub fn saturating_add(self, other: Usd) -> Usd {
        Usd(self.0.saturating_add(other.0))
    }
}

impl fmt::Display for Usd {
    /// A plain decimal without trailing zeros (what `NUMERIC` takes exactly).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let digits = format!("{:0>width$}", self.0.to_string(), width = USD_SCALE + 1);
        let (int, frac) = digits.split_at(digits.len() - USD_SCALE);
        let frac = frac.trim_end_matches('0');
        if frac.is_empty() {
            write!(f, "{int}")
        } else {
            write!(f, "{int}.{frac}")
        }
    }
}

/// 10^n.
fn pow10(n: u32) -> Uint256 {
    Uint256::from(10u8).checked_pow(n).unwrap_or(Uint256::MAX)
}

/// `n` as a decimal (exact: any u64 fits).
pub fn dec(n: u64) -> Decimal256 {
    Decimal256::checked_from_ratio(n, 1u64).unwrap_or(Decimal256::MAX)
}

/// What a run of live blocks of one payment adds to its day.
#[derive(Clone, Debug, PartialEq)]
pub struct Accrual {
    pub day: NaiveDate,
    pub blocks: u64,
    pub spend: Decimal256,
    pub spend_usd: Option<Usd>,
    pub usd_estimated: bool,
}

/// The batch's heights `start..start + days.len()`.
#[derive(Clone, Debug)]
pub struct Clock {
    start: u64,
    days: Vec<NaiveDate>,
    /// `akt_usd[i]` = Σ price over the first `i` blocks (blocks without any price count 0).
    akt_usd: Vec<Decimal256>,
    /// Prefix counts of blocks with no price at all, and with a carried (stale) one.
    unpriced: Vec<u32>,
    stale: Vec<u32>,
    usd: UsdRule,
}

impl Clock {
    /// The clock of `blocks` (consecutive from `start`), with the price in force at each.
    pub fn new(start: u64, blocks: &[BlockIn<'_>], prices: &[BlockPrice], usd: &UsdRule) -> Self {
        let n = blocks.len();
        let mut clock = Clock {
            start,
            days: Vec::with_capacity(n),
            akt_usd: Vec::with_capacity(n + 1),
            unpriced: Vec::with_capacity(n + 1),
            stale: Vec::with_capacity(n + 1),
            usd: usd.clone(),
        };
        let (mut sum, mut unpriced, mut stale) = (Decimal256::zero(), 0u32, 0u32);
        clock.akt_usd.push(sum);
        clock.unpriced.push(0);
        clock.stale.push(0);
        for (b, p) in blocks.iter().zip(prices) {
            clock.days.push(b.time.date_naive());
            match p.akt_usd {
                Some(price) => sum = sum.saturating_add(price),
                None => unpriced += 1,
            }
            if p.stale {
                stale += 1;
            }
            clock.akt_usd.push(sum);
            clock.unpriced.push(unpriced);
            clock.stale.push(stale);
        }
        clock
    }

    /// Spend of `rate` per block over heights `(after, through]`, which must lie inside the batch
    /// and inside one day; `None` when they do not.
    pub fn accrue(
        &self,
        after: u64,
        through: u64,
        rate: Decimal256,
        denom: &str,
    ) -> Option<Accrual> {
        if through <= after {
            return None;
        }
        let lo = usize::try_from(after.checked_add(1)?.checked_sub(self.start)?).ok()?;
        let hi = usize::try_from(through.checked_sub(self.start)?).ok()?;
        let day = *self.days.get(hi)?;
        if self.days.get(lo) != Some(&day) {
            return None;
        }
        let blocks = through - after;
        // Exact: rate has 18 decimals, so rate × blocks does too.
        let spend = rate.saturating_mul(dec(blocks));
        let (spend_usd, usd_estimated) = match self.usd.kind(denom) {
            // spend (10^-18 base units) × 10^-6 USD per base unit = 10^-24 USD.
            UsdKind::OneToOne => (Some(Usd(spend.atomics().saturating_mul(pow10(18)))), false),
            UsdKind::Priced => {
                let unpriced = self.unpriced[hi + 1] - self.unpriced[lo];
                let stale = self.stale[hi + 1] - self.stale[lo];
                let sum = self.akt_usd[hi + 1].saturating_sub(self.akt_usd[lo]);
                // rate (10^-18) × Σ price (10^-18) × 10^-6 = 10^-42 USD.
                let usd = Usd(rate.atomics().saturating_mul(sum.atomics()));
                (Some(usd), stale > 0 || unpriced > 0)
            }
            UsdKind::None => (None, false),
        };
        Some(Accrual {
            day,
            blocks,
            spend,
            spend_usd,
            usd_estimated,
        })
    }
}
