//! What the catalogue says about itself: its version and every event's fields, so readers (the
//! indexer's tables and GraphQL types) are derived from it instead of written again by hand.

use thiserror::Error;

use crate::{bme, escrow, mock_pyth, oracle, pip, reservations, FieldKind};

/// Version of the event vocabulary. Bumped on any change a reader must know about: a new or
/// renamed event or field, or a changed meaning. 1: the first catalogue; 2: escrow rates,
/// depletion and deposit consumption, oracle aggregate prices, bme pending amounts, pip USD
/// values, and typed closed value sets.
pub const CATALOGUE_VERSION: u32 = 2;

/// One attribute of an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldMeta {
    /// Attribute key, also the column and GraphQL field name.
    pub name: &'static str,
    /// What it holds.
    pub kind: FieldKind,
    /// Whether it may be absent.
    pub optional: bool,
}

/// One event of the catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EventMeta {
    /// Contract part of the type, e.g. `escrow`.
    pub contract: &'static str,
    /// Action part of the type, e.g. `deposited`.
    pub action: &'static str,
    /// The catalogue's doc comment of the event.
    pub doc: &'static str,
    /// Its attributes in declaration order.
    pub fields: &'static [FieldMeta],
}

impl EventMeta {
    /// The event type as the contract emits it, `<contract>.<action>`.
    pub fn event_type(&self) -> String {
        format!("{}.{}", self.contract, self.action)
    }

    /// The field named `name`.
    pub fn field(&self, name: &str) -> Option<&'static FieldMeta> {
        self.fields.iter().find(|f| f.name == name)
    }
}

/// Every event of every contract, contract by contract in catalogue order.
pub fn all_events() -> impl Iterator<Item = &'static EventMeta> {
    [
        escrow::EscrowEvent::EVENTS,
        oracle::OracleEvent::EVENTS,
        bme::BmeEvent::EVENTS,
        pip::PipEvent::EVENTS,
        reservations::ReservationsEvent::EVENTS,
        mock_pyth::MockPythEvent::EVENTS,
    ]
    .into_iter()
    .flatten()
}

/// A name outside a closed set.
#[derive(Error, Debug, Clone, PartialEq, Eq)]
#[error("unknown value {name:?}, expected one of {expected:?}")]
pub struct UnknownName {
    /// What was given.
    pub name: String,
    /// The closed set.
    pub expected: &'static [&'static str],
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn every_event_type_is_unique_and_documented() {
        let mut seen = HashSet::new();
        for meta in all_events() {
            assert!(
                seen.insert(meta.event_type()),
                "{} twice",
                meta.event_type()
            );
            assert!(
                !meta.doc.trim().is_empty(),
                "{} has no doc",
                meta.event_type()
            );
            let mut names = HashSet::new();
            for field in meta.fields {
                assert!(
                    names.insert(field.name),
                    "{}.{} twice",
                    meta.action,
                    field.name
                );
            }
        }
        assert!(seen.len() > 60, "only {} events", seen.len());
    }

    #[test]
    fn field_metadata_follows_the_rust_types() {
        let deposited = escrow::EscrowEvent::EVENTS
            .iter()
            .find(|m| m.action == "deposited")
            .expect("deposited is catalogued");
        let kind = |name: &str| deposited.field(name).map(|f| (f.kind, f.optional));
        assert_eq!(kind("owner"), Some((FieldKind::Address, false)));
        assert_eq!(kind("dseq"), Some((FieldKind::U64, false)));
        assert_eq!(kind("amount"), Some((FieldKind::Uint256, false)));
        assert_eq!(kind("grantee"), Some((FieldKind::Address, true)));
        assert_eq!(kind("nope"), None);
    }
}
