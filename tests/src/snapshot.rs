//! The observable end state of a suite: every bank balance of every account and contract, and
//! the raw storage of every contract.

use std::collections::BTreeMap;

use cosmwasm_std::Uint256;

use crate::suite::{Suite, AKT, FUNDED};

/// Every denom the suite's bank holds (cosmwasm-std 3 has no all-balances query).
const DENOMS: [&str; 2] = [AKT, "uother"];

/// One raw key/value pair of contract storage.
pub type Record = (Vec<u8>, Vec<u8>);

/// Balances and raw contract storage.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snapshot {
    pub height: u64,
    /// `(holder, denom) -> amount`, zero balances omitted.
    pub balances: BTreeMap<(String, String), Uint256>,
    /// `contract name -> raw key/value pairs` in key order.
    pub storage: BTreeMap<String, Vec<Record>>,
}

impl Snapshot {
    /// Reads the state of `suite`: the funded accounts, `extra` holders and every contract.
    pub fn of(suite: &Suite, extra: &[&str]) -> anyhow::Result<Self> {
        let mut holders: Vec<(String, cosmwasm_std::Addr)> = FUNDED
            .iter()
            .chain(extra)
            .chain(["treasury"].iter())
            .map(|n| (n.to_string(), suite.addr(n)))
            .collect();
        holders.extend(
            suite
                .c
                .all()
                .iter()
                .map(|(n, a)| (format!("contract:{n}"), (*a).clone())),
        );
        let mut balances = BTreeMap::new();
        for (name, addr) in &holders {
            for denom in DENOMS {
                let coin = suite
                    .app
                    .wrap()
                    .query_balance(addr, denom)
                    .map_err(|e| anyhow::anyhow!("balance of {name}: {e}"))?;
                if !coin.amount.is_zero() {
                    balances.insert((name.clone(), coin.denom), coin.amount);
                }
            }
        }
        let storage = suite
            .c
            .all()
            .iter()
            .map(|(name, addr)| {
                let records = suite.app.dump_wasm_raw(addr).into_iter().collect();
                (name.to_string(), records)
            })
            .collect();
        Ok(Snapshot {
            height: suite.height(),
            balances,
            storage,
        })
    }
}
