//! Which contracts are ours: given by address, or discovered when governance instantiates them
//! (a catalogue `<name>.instantiated` event among `finalize_block_events`, where gov proposals
//! execute). A contract instantiated by a tx cannot claim to be ours: anyone may emit any event
//! type from their own contract.

use std::collections::BTreeMap;

use supercloud_events::{SupercloudEvent, CONTRACTS};

/// The followed contracts: address → catalogue name (`None` when given without a name).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Followed {
    by_address: BTreeMap<String, Option<String>>,
    discover: bool,
}

impl Followed {
    /// Follows `given` addresses, and discovers governance-instantiated ones when `discover`.
    pub fn new(given: impl IntoIterator<Item = (String, Option<String>)>, discover: bool) -> Self {
        Followed {
            by_address: given.into_iter().collect(),
            discover,
        }
    }

    /// Whether events of `address` are kept.
    pub fn contains(&self, address: &str) -> bool {
        self.by_address.contains_key(address)
    }

    /// The catalogue name `address` is followed as, when known.
    pub fn name(&self, address: &str) -> Option<&str> {
        self.by_address.get(address).and_then(|n| n.as_deref())
    }

    /// Starts following `address` as `name` (if discovery is on); true when it is new.
    pub fn discover(&mut self, address: &str, name: &str) -> bool {
        if !self.discover || self.contains(address) {
            return false;
        }
        self.by_address
            .insert(address.to_string(), Some(name.to_string()));
        true
    }

    /// Every followed address with its name.
    pub fn iter(&self) -> impl Iterator<Item = (&str, Option<&str>)> {
        self.by_address
            .iter()
            .map(|(a, n)| (a.as_str(), n.as_deref()))
    }
}

/// The catalogue contract name of an `<name>.instantiated` event type.
pub fn instantiated_name(kind: &str) -> Option<&'static str> {
    let (contract, action) = SupercloudEvent::split_type(kind)?;
    if action != "instantiated" {
        return None;
    }
    CONTRACTS.iter().copied().find(|c| *c == contract)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_catalogue_instantiations_are_discovered() {
        assert_eq!(
            instantiated_name("wasm-escrow.instantiated"),
            Some("escrow")
        );
        assert_eq!(instantiated_name("wasm-escrow.deposited"), None);
        assert_eq!(instantiated_name("wasm-cw20.instantiated"), None);
        let mut f = Followed::new([], true);
        assert!(f.discover("addr1", "escrow"));
        assert!(!f.discover("addr1", "escrow"), "once");
        assert_eq!(f.name("addr1"), Some("escrow"));
        let mut off = Followed::new([("x".to_string(), None)], false);
        assert!(!off.discover("addr1", "escrow"));
        assert!(off.contains("x") && !off.contains("addr1"));
    }
}
