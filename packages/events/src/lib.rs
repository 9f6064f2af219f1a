//! The event catalogue shared by contracts (which emit) and the devnet and indexer (which parse).
//!
//! Every state change emits one custom event whose type is `<contract>.<action>`; wasmd prefixes it
//! with `wasm-`. Attributes are flat strings named after the struct fields, so the same name is used
//! in contracts, events, SQL and GraphQL. Names are public API: renaming one is a versioned change.

pub(crate) mod attr;
#[macro_use]
mod macros;
mod meta;
mod parsed;

pub mod bme;
pub mod escrow;
pub mod mock_pyth;
pub mod oracle;
pub mod pip;
pub mod reservations;

pub use attr::{AttrValue, Attrs, FieldKind, ParseError, CONTRACT_ADDRESS_KEY, MSG_INDEX_KEY};
pub use meta::{all_events, EventMeta, FieldMeta, UnknownName, CATALOGUE_VERSION};
pub use parsed::ParsedEvent;

use cosmwasm_std::Event;

/// Prefix wasmd puts in front of a contract's custom event type.
pub const WASM_EVENT_PREFIX: &str = "wasm-";

/// A catalogued event: a fixed `<contract>.<action>` type with typed attributes.
pub trait CatalogEvent: Sized {
    /// Contract part of the event type, e.g. `escrow`.
    const CONTRACT: &'static str;
    /// Action part of the event type, e.g. `deposited`.
    const ACTION: &'static str;
    /// The event's description: contract, action, doc and fields.
    const META: EventMeta;

    /// The attributes in declaration order; `None` fields are left out.
    fn attributes(&self) -> Vec<(&'static str, String)>;

    /// Rebuilds the event from its attributes.
    fn from_attrs(attrs: &Attrs<'_>) -> Result<Self, ParseError>;

    /// The event type as the contract emits it, `<contract>.<action>`.
    fn event_type() -> String {
        format!("{}.{}", Self::CONTRACT, Self::ACTION)
    }

    /// The cosmwasm event to add to a `Response`.
    fn to_event(&self) -> Event {
        Event::new(Self::event_type()).add_attributes(self.attributes())
    }
}

/// The governance events every contract shares. `catalogue!` appends them to each contract's
/// catalogue and implements this trait on the contract's event enum, so code that handles
/// authority, pause, configuration and migration can be written once, generic over the contract.
///
/// Each constructor returns the enum variant of the contract's own event, so the emitted type is
/// still `<contract>.<action>` with the same attributes as the struct built by hand.
pub trait GovernanceEvents: From<AuthorityChange> + Sized {
    /// `<contract>.instantiated`: the first authority, the code version and the configuration as
    /// JSON.
    fn instantiated(authority: cosmwasm_std::Addr, version: String, config: String) -> Self;

    /// `<contract>.pause_changed`: the authority paused (`true`) or resumed (`false`).
    fn pause_changed(authority: cosmwasm_std::Addr, paused: bool) -> Self;

    /// `<contract>.config_updated`: the authority replaced the configuration (new one as JSON).
    fn config_updated(authority: cosmwasm_std::Addr, config: String) -> Self;

    /// `<contract>.migrated`: the code moved from `from_version` to `to_version`.
    fn migrated(from_version: String, to_version: String) -> Self;

    /// `<contract>.authority_proposed`, `_accepted` or `_cancelled`, from what a handover
    /// message changed.
    fn authority_changed(change: AuthorityChange) -> Self {
        Self::from(change)
    }

    /// The cosmwasm event to add to a `Response` (the same as the enum's inherent `to_event`).
    fn to_event(&self) -> Event;
}

/// Any catalogued event, parsed from an on-chain event type and its attributes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SupercloudEvent {
    /// A bme event.
    Bme(bme::BmeEvent),
    /// An escrow event.
    Escrow(escrow::EscrowEvent),
    /// A pip event.
    Pip(pip::PipEvent),
    /// A reservations event.
    Reservations(reservations::ReservationsEvent),
    /// An oracle event.
    Oracle(oracle::OracleEvent),
    /// A mock-pyth event (tests and devnet only).
    MockPyth(mock_pyth::MockPythEvent),
}

impl SupercloudEvent {
    /// The description of this event (contract, action, doc, fields).
    pub fn meta(&self) -> &'static EventMeta {
        match self {
            Self::Bme(e) => e.meta(),
            Self::Escrow(e) => e.meta(),
            Self::Pip(e) => e.meta(),
            Self::Reservations(e) => e.meta(),
            Self::Oracle(e) => e.meta(),
            Self::MockPyth(e) => e.meta(),
        }
    }

    /// The attributes in declaration order; `None` fields are left out.
    pub fn attributes(&self) -> Vec<(&'static str, String)> {
        match self {
            Self::Bme(e) => e.attributes(),
            Self::Escrow(e) => e.attributes(),
            Self::Pip(e) => e.attributes(),
            Self::Reservations(e) => e.attributes(),
            Self::Oracle(e) => e.attributes(),
            Self::MockPyth(e) => e.attributes(),
        }
    }

    /// Parses an event by its type (with or without the `wasm-` prefix); `Ok(None)` for events that
    /// are not ours (bank, `message`, other contracts).
    pub fn parse<'a>(
        event_type: &str,
        attributes: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Option<Self>, ParseError> {
        let Some((contract, action)) = Self::split_type(event_type) else {
            return Ok(None);
        };
        Self::from_parts(contract, action, &Attrs::new(attributes)?)
    }

    /// `(contract, action)` of a catalogued contract's event type, with or without the `wasm-`
    /// prefix; `None` for any other type.
    pub fn split_type(event_type: &str) -> Option<(&str, &str)> {
        let ty = event_type
            .strip_prefix(WASM_EVENT_PREFIX)
            .unwrap_or(event_type);
        let (contract, action) = ty.split_once('.')?;
        CONTRACTS.contains(&contract).then_some((contract, action))
    }

    /// Parses one event of `contract` (a catalogue contract name); `Ok(None)` for other names.
    pub fn from_parts(
        contract: &str,
        action: &str,
        attrs: &Attrs<'_>,
    ) -> Result<Option<Self>, ParseError> {
        Ok(match contract {
            bme::CONTRACT => Some(Self::Bme(bme::BmeEvent::parse(action, attrs)?)),
            escrow::CONTRACT => Some(Self::Escrow(escrow::EscrowEvent::parse(action, attrs)?)),
            oracle::CONTRACT => Some(Self::Oracle(oracle::OracleEvent::parse(action, attrs)?)),
            pip::CONTRACT => Some(Self::Pip(pip::PipEvent::parse(action, attrs)?)),
            reservations::CONTRACT => Some(Self::Reservations(
                reservations::ReservationsEvent::parse(action, attrs)?,
            )),
            mock_pyth::CONTRACT => Some(Self::MockPyth(mock_pyth::MockPythEvent::parse(
                action, attrs,
            )?)),
            _ => None,
        })
    }
}

/// The contract names of the catalogue (the `<contract>` part of event types).
pub const CONTRACTS: &[&str] = &[
    escrow::CONTRACT,
    oracle::CONTRACT,
    bme::CONTRACT,
    pip::CONTRACT,
    reservations::CONTRACT,
    mock_pyth::CONTRACT,
];

/// What an authority handover message changed; every contract turns it into its own
/// `<contract>.authority_*` event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuthorityChange {
    /// `authority` proposed `pending`.
    Proposed {
        authority: cosmwasm_std::Addr,
        pending: cosmwasm_std::Addr,
    },
    /// `authority` replaced `previous`.
    Accepted {
        previous: cosmwasm_std::Addr,
        authority: cosmwasm_std::Addr,
    },
    /// `authority` withdrew the proposal of `pending`.
    Cancelled {
        authority: cosmwasm_std::Addr,
        pending: cosmwasm_std::Addr,
    },
}
