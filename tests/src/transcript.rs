//! A line per executed message: who sent what, and the events or the error text it produced.
//! Two backends that behave the same produce equal transcripts.

use cosmwasm_std::{Addr, Coin, StdError};
use cw_multi_test::AppResponse;
use serde::Serialize;

/// The ordered outcomes of a flow.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Transcript {
    pub lines: Vec<String>,
}

impl Transcript {
    /// Appends the outcome of one execute.
    pub fn record<M: Serialize + std::fmt::Debug>(
        &mut self,
        sender: &Addr,
        contract: &Addr,
        msg: &M,
        funds: &[Coin],
        result: &Result<AppResponse, StdError>,
    ) {
        let msg = serde_json::to_string(msg).unwrap_or_else(|_| format!("{msg:?}"));
        let funds: Vec<String> = funds.iter().map(Coin::to_string).collect();
        let outcome = match result {
            Ok(res) => {
                let events: Vec<String> = res
                    .events
                    .iter()
                    .map(|e| {
                        let attrs: Vec<String> = e
                            .attributes
                            .iter()
                            .map(|a| format!("{}={}", a.key, a.value))
                            .collect();
                        format!("{}{{{}}}", e.ty, attrs.join(","))
                    })
                    .collect();
                format!("ok {}", events.join(" "))
            }
            Err(e) => format!("err {e}"),
        };
        self.lines.push(format!(
            "{sender} -> {contract} {msg} [{}] => {outcome}",
            funds.join(",")
        ));
    }

    /// The first line where two transcripts differ, for a readable failure.
    pub fn first_difference(&self, other: &Transcript) -> Option<(usize, String, String)> {
        let n = self.lines.len().max(other.lines.len());
        (0..n).find_map(|i| {
            let a = self.lines.get(i).cloned().unwrap_or_default();
            let b = other.lines.get(i).cloned().unwrap_or_default();
            (a != b).then_some((i, a, b))
        })
    }
}
