//! Alerts on escrow accounts: rules evaluated by the writer as blocks are projected (pure, in
//! [`rule`] and [`AlertBook`]), transitions written with their batch into an outbox, and the
//! delivery of that outbox to webhooks with signatures and retries ([`deliver`]).

pub mod deliver;
pub mod keys;
pub mod rule;
pub mod signature;
pub mod webhook;

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use supercloud_events::escrow::AccountState;

use crate::project::{Account, AccountKey};
use rule::{state_for, value, Rule, Transition};

/// Seconds per block the writer assumes for time-to-depletion (Akash's block time).
pub const DEFAULT_SECS_PER_BLOCK: u64 = 6;

/// An alert turned off by the writer, with why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Disabled {
    pub alert_id: i64,
    pub height: u64,
    pub reason: String,
}

/// The enabled rules, reloaded by the store before each batch (the API edits them).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlertBook {
    pub rules: Vec<Rule>,
    pub secs_per_block: u64,
}

impl Default for AlertBook {
    fn default() -> Self {
        AlertBook {
            rules: Vec::new(),
            secs_per_block: DEFAULT_SECS_PER_BLOCK,
        }
    }
}

impl AlertBook {
    /// Evaluates every rule against the accounts after block `height`'s events.
    pub fn after_block(
        &mut self,
        height: u64,
        time: DateTime<Utc>,
        accounts: &HashMap<AccountKey, Account>,
        transitions: &mut Vec<Transition>,
        disabled: &mut Vec<Disabled>,
    ) {
        let spb = self.secs_per_block;
        self.rules.retain_mut(|rule| {
            let reason = match accounts.get(&rule.account) {
                None => Some("the account is closed or unknown"),
                Some(a) if a.state == AccountState::Closed => Some("the account closed"),
                Some(_) => None,
            };
            if let Some(reason) = reason {
                disabled.push(Disabled {
                    alert_id: rule.id,
                    height,
                    reason: reason.to_string(),
                });
                return false;
            }
            let Some(account) = accounts.get(&rule.account) else {
                return false;
            };
            let v = value(rule.metric, account, height, spb);
            let to = state_for(rule, v);
            if to != rule.state {
                transitions.push(Transition {
                    alert_id: rule.id,
                    height,
                    time,
                    from: rule.state,
                    to,
                    value: v,
                });
                rule.state = to;
            }
            true
        });
    }
}
