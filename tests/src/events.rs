//! A response's contract events read back through the shared catalogue (`supercloud-events`), so
//! the flows assert on the same typed events the devnet and the indexer decode, never on
//! attribute strings picked by key.

use cosmwasm_std::Addr;
use cw_multi_test::AppResponse;
use supercloud_events::{
    bme, escrow, mock_pyth, oracle, pip, reservations, AuthorityChange, CatalogEvent,
    GovernanceEvents, SupercloudEvent,
};

/// Every catalogue event of `res`, in order. Events outside the catalogue (`wasm`, `execute`,
/// bank transfers) are skipped; one that claims a catalogue type but does not parse is an error.
pub fn all(res: &AppResponse) -> anyhow::Result<Vec<SupercloudEvent>> {
    Ok(supercloud_multitest::events::try_all(res)?)
}

/// Every event of catalogue type `E` in `res`, in order, decoded through the catalogue.
pub fn of<E: CatalogEvent>(res: &AppResponse) -> anyhow::Result<Vec<E>> {
    supercloud_multitest::events::try_of(res)
        .map_err(|err| anyhow::anyhow!("event {} does not parse: {err}", E::event_type()))
}

/// The one event of catalogue type `E` in `res`; none or several are an error.
pub fn one<E: CatalogEvent + std::fmt::Debug>(res: &AppResponse) -> anyhow::Result<E> {
    let mut all = of::<E>(res)?;
    anyhow::ensure!(
        all.len() == 1,
        "expected one {} event, found {}: {all:?}",
        E::event_type(),
        all.len()
    );
    Ok(all.remove(0))
}

/// A governance event, which every contract's catalogue declares alike (`<contract>.<action>`).
#[derive(Clone, Debug)]
pub enum Governance {
    /// `authority_proposed`, `authority_accepted` or `authority_cancelled`.
    Authority(AuthorityChange),
    /// `pause_changed`.
    PauseChanged { authority: Addr, paused: bool },
    /// `migrated`.
    Migrated { from: String, to: String },
}

impl Governance {
    fn build<E: GovernanceEvents>(self) -> E {
        match self {
            Governance::Authority(change) => E::authority_changed(change),
            Governance::PauseChanged { authority, paused } => E::pause_changed(authority, paused),
            Governance::Migrated { from, to } => E::migrated(from, to),
        }
    }

    /// This event as contract `contract` (a catalogue contract name, e.g. `escrow`) emits it.
    pub fn of(self, contract: &str) -> anyhow::Result<SupercloudEvent> {
        Ok(match contract {
            escrow::CONTRACT => SupercloudEvent::Escrow(self.build()),
            oracle::CONTRACT => SupercloudEvent::Oracle(self.build()),
            bme::CONTRACT => SupercloudEvent::Bme(self.build()),
            pip::CONTRACT => SupercloudEvent::Pip(self.build()),
            reservations::CONTRACT => SupercloudEvent::Reservations(self.build()),
            mock_pyth::CONTRACT => SupercloudEvent::MockPyth(self.build()),
            other => anyhow::bail!("{other} is not a catalogue contract"),
        })
    }
}
