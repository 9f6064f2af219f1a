//! Two-step authority handover: the current authority proposes, the proposed address accepts.
//!
//! One step would let a typo in a governance proposal hand the contract to nobody.

use cosmwasm_schema::cw_serde;
use cosmwasm_std::{Addr, Api, StdError, Storage};
use cw_storage_plus::Item;
use supercloud_events::AuthorityChange;
use thiserror::Error;

const AUTHORITY: Item<Authority> = Item::new("authority");

/// Who may change configuration, pause and migrate; `pending` is a proposed successor.
#[cw_serde]
pub struct Authority {
    /// The address in charge (on Akash: the gov module account).
    pub current: Addr,
    /// A proposed successor that has not accepted yet.
    pub pending: Option<Addr>,
}

/// Messages every contract accepts for the authority handover (nested as `authority: {...}`).
#[cw_serde]
pub enum AuthorityMsg {
    /// Current authority names a successor; replaces any earlier proposal.
    Propose { new_authority: String },
    /// The proposed successor takes over.
    Accept {},
    /// Current authority withdraws a pending proposal.
    Cancel {},
}

// Compact decoding for contracts that decode their messages with `supercloud_wire`.
supercloud_wire::wire_enum!(AuthorityMsg {
    "propose" => Propose { new_authority },
    "accept" => Accept {},
    "cancel" => Cancel {},
});

/// Errors of the authority rules.
#[derive(Error, Debug)]
pub enum AuthorityError {
    /// Storage or address validation failed.
    #[error(transparent)]
    Std(#[from] StdError),
    /// The sender is not the authority.
    #[error("unauthorized: only the authority {authority} may do this")]
    NotAuthority { authority: Addr },
    /// The sender is not the proposed authority.
    #[error("unauthorized: only the proposed authority may accept")]
    NotPending,
    /// Accept or cancel without a proposal.
    #[error("no authority handover is pending")]
    NoneProposed,
    /// Proposing the current authority again.
    #[error("{0} is already the authority")]
    AlreadyAuthority(Addr),
}

impl Authority {
    /// Stores the initial authority at instantiate.
    pub fn init(storage: &mut dyn Storage, current: Addr) -> Result<(), AuthorityError> {
        AUTHORITY.save(
            storage,
            &Authority {
                current,
                pending: None,
            },
        )?;
        Ok(())
    }

    /// Loads the stored authority.
    pub fn load(storage: &dyn Storage) -> Result<Authority, AuthorityError> {
        Ok(AUTHORITY.load(storage)?)
    }

    /// Fails unless `sender` is the current authority.
    pub fn assert(storage: &dyn Storage, sender: &Addr) -> Result<(), AuthorityError> {
        let authority = Self::load(storage)?;
        if authority.current != *sender {
            return Err(AuthorityError::NotAuthority {
                authority: authority.current,
            });
        }
        Ok(())
    }

    /// Applies one handover message sent by `sender`.
    pub fn execute(
        storage: &mut dyn Storage,
        api: &dyn Api,
        sender: &Addr,
        msg: AuthorityMsg,
    ) -> Result<AuthorityChange, AuthorityError> {
        let mut authority = Self::load(storage)?;
        let change = match msg {
            AuthorityMsg::Propose { new_authority } => {
                authority.require_current(sender)?;
                let pending = api.addr_validate(&new_authority)?;
                if pending == authority.current {
                    return Err(AuthorityError::AlreadyAuthority(pending));
                }
                authority.pending = Some(pending.clone());
                AuthorityChange::Proposed {
                    authority: authority.current.clone(),
                    pending,
                }
            }
            AuthorityMsg::Accept {} => {
                let pending = authority
                    .pending
                    .take()
                    .ok_or(AuthorityError::NoneProposed)?;
                if pending != *sender {
                    return Err(AuthorityError::NotPending);
                }
                let previous = std::mem::replace(&mut authority.current, pending.clone());
                AuthorityChange::Accepted {
                    previous,
                    authority: pending,
                }
            }
            AuthorityMsg::Cancel {} => {
                authority.require_current(sender)?;
                let pending = authority
                    .pending
                    .take()
                    .ok_or(AuthorityError::NoneProposed)?;
                AuthorityChange::Cancelled {
                    authority: authority.current.clone(),
                    pending,
                }
            }
        };
        AUTHORITY.save(storage, &authority)?;
        Ok(change)
    }

    fn require_current(&self, sender: &Addr) -> Result<(), AuthorityError> {
        if self.current != *sender {
            return Err(AuthorityError::NotAuthority {
                authority: self.current.clone(),
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cosmwasm_std::testing::{MockApi, MockStorage};

    fn setup() -> (MockStorage, MockApi, Addr) {
        let mut storage = MockStorage::new();
        let api = MockApi::default();
        let gov = api.addr_make("gov");
        Authority::init(&mut storage, gov.clone()).unwrap();
        (storage, api, gov)
    }

    #[test]
    fn handover_takes_two_steps() {
        let (mut storage, api, gov) = setup();
        let next = api.addr_make("next");
        let change = Authority::execute(
            &mut storage,
            &api,
            &gov,
            AuthorityMsg::Propose {
                new_authority: next.to_string(),
            },
        )
        .unwrap();
        assert_eq!(
            change,
            AuthorityChange::Proposed {
                authority: gov.clone(),
                pending: next.clone()
            }
        );
        // Still the old authority until accepted.
        Authority::assert(&storage, &gov).unwrap();
        assert!(Authority::assert(&storage, &next).is_err());
        let change =
            Authority::execute(&mut storage, &api, &next, AuthorityMsg::Accept {}).unwrap();
        assert_eq!(
            change,
            AuthorityChange::Accepted {
                previous: gov.clone(),
                authority: next.clone()
            }
        );
        Authority::assert(&storage, &next).unwrap();
        assert!(matches!(
            Authority::assert(&storage, &gov),
            Err(AuthorityError::NotAuthority { .. })
        ));
    }

    #[test]
    fn strangers_cannot_propose_or_accept() {
        let (mut storage, api, gov) = setup();
        let eve = api.addr_make("eve");
        let err = Authority::execute(
            &mut storage,
            &api,
            &eve,
            AuthorityMsg::Propose {
                new_authority: eve.to_string(),
            },
        )
        .unwrap_err();
        assert!(matches!(err, AuthorityError::NotAuthority { .. }));
        let err =
            Authority::execute(&mut storage, &api, &eve, AuthorityMsg::Accept {}).unwrap_err();
        assert!(matches!(err, AuthorityError::NoneProposed));
        let next = api.addr_make("next");
        Authority::execute(
            &mut storage,
            &api,
            &gov,
            AuthorityMsg::Propose {
                new_authority: next.to_string(),
            },
        )
        .unwrap();
        let err =
            Authority::execute(&mut storage, &api, &eve, AuthorityMsg::Accept {}).unwrap_err();
        assert!(matches!(err, AuthorityError::NotPending));
        // A failed accept leaves the proposal in place.
        assert_eq!(Authority::load(&storage).unwrap().pending, Some(next));
    }

    #[test]
    fn cancel_and_invalid_proposals() {
        let (mut storage, api, gov) = setup();
        let err =
            Authority::execute(&mut storage, &api, &gov, AuthorityMsg::Cancel {}).unwrap_err();
        assert!(matches!(err, AuthorityError::NoneProposed));
        let err = Authority::execute(
            &mut storage,
            &api,
            &gov,
            AuthorityMsg::Propose {
                new_authority: gov.to_string(),
            },
        )
        .unwrap_err();
        assert!(matches!(err, AuthorityError::AlreadyAuthority(_)));
        let err = Authority::execute(
            &mut storage,
            &api,
            &gov,
            AuthorityMsg::Propose {
                new_authority: "not an address".into(),
            },
        )
        .unwrap_err();
        assert!(matches!(err, AuthorityError::Std(_)));
        let next = api.addr_make("next");
        Authority::execute(
            &mut storage,
            &api,
            &gov,
            AuthorityMsg::Propose {
                new_authority: next.to_string(),
            },
        )
        .unwrap();
        let change = Authority::execute(&mut storage, &api, &gov, AuthorityMsg::Cancel {}).unwrap();
        assert_eq!(
            change,
            AuthorityChange::Cancelled {
                authority: gov.clone(),
                pending: next.clone()
            }
        );
        let err =
            Authority::execute(&mut storage, &api, &next, AuthorityMsg::Accept {}).unwrap_err();
        assert!(matches!(err, AuthorityError::NoneProposed));
    }
}
