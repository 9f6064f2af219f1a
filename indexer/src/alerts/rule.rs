//! Alert rules, pure: what an alert measures on an escrow account, how it compares, and when its
//! state changes. The writer evaluates every enabled rule after each block it projects, so a
//! transition is recorded at the height where it happened, once.

use std::fmt;
use std::str::FromStr;

use cosmwasm_std::{Decimal256, Uint256};
use supercloud_events::escrow::AccountState;

use crate::project::clock::dec;
use crate::project::{Account, AccountKey};

/// A closed set of names, each with its one spelling in SQL, GraphQL and webhook bodies.
macro_rules! names {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum $name { $($(#[$vm])* $v),+ }

        impl $name {
            /// Every value.
            pub const ALL: &'static [$name] = &[$($name::$v),+];

            /// Its name.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$v => $s),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                match s {
                    $($s => Ok($name::$v),)+
                    other => Err(format!(
                        "unknown {} {other:?} (known: {})",
                        stringify!($name),
                        [$($s),+].join(", ")
                    )),
                }
            }
        }
    };
}

names! {
    /// What an alert measures.
    Metric {
        /// Remaining deposits, in base units, as the contract last reported them.
        Balance = "balance",
        /// Remaining deposits as a percent of the last top-up.
        BalancePercentOfTopUp = "balance_percent_of_top_up",
        /// Seconds until the block the contract predicts the funds run out at (`depletes_at`),
        /// at the writer's expected seconds per block; no value while nothing is charged.
        TimeToDepletion = "time_to_depletion",
    }
}

names! {
    /// How the value is compared with the threshold.
    Comparator {
        Below = "below",
        At = "at",
        Above = "above",
    }
}

names! {
    /// An alert's state: deliveries happen only when it changes.
    AlertState {
        Ok = "ok",
        Triggered = "triggered",
    }
}

/// An enabled alert as the writer evaluates it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    pub id: i64,
    pub account: AccountKey,
    pub name: String,
    pub metric: Metric,
    pub comparator: Comparator,
    pub threshold: Decimal256,
    pub state: AlertState,
}

/// A change of an alert's state at a block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transition {
    pub alert_id: i64,
    pub height: u64,
    pub time: chrono::DateTime<chrono::Utc>,
    pub from: AlertState,
    pub to: AlertState,
    /// The measured value that caused it.
    pub value: Option<Decimal256>,
}

/// The metric's value for `account` at block `height`.
pub fn value(
    metric: Metric,
    account: &Account,
    height: u64,
    secs_per_block: u64,
) -> Option<Decimal256> {
    match metric {
        Metric::Balance => Decimal256::from_atomics(account.balance, 0).ok(),
        Metric::BalancePercentOfTopUp => {
            let top_up = account.last_top_up.filter(|t| !t.is_zero())?;
            Decimal256::checked_from_ratio(
                account.balance.checked_mul(Uint256::from(100u8)).ok()?,
                top_up,
            )
            .ok()
        }
        Metric::TimeToDepletion => {
            if account.state != AccountState::Open {
                return Some(Decimal256::zero());
            }
            let at = account.depletes_at?;
            Some(dec(at
                .saturating_sub(height)
                .saturating_mul(secs_per_block)))
        }
    }
}

/// Whether the condition holds for `value` (no value: it does not).
pub fn holds(comparator: Comparator, value: Option<Decimal256>, threshold: Decimal256) -> bool {
    match value {
        None => false,
        Some(v) => match comparator {
            Comparator::Below => v < threshold,
            Comparator::At => v == threshold,
            Comparator::Above => v > threshold,
        },
    }
}

/// The state the rule should be in for `value`.
pub fn state_for(rule: &Rule, value: Option<Decimal256>) -> AlertState {
    if holds(rule.comparator, value, rule.threshold) {
        AlertState::Triggered
    } else {
        AlertState::Ok
    }
}
