//! A catalogued event as the chain delivered it: the event, the contract that emitted it and the
//! message that caused it.

use cosmwasm_std::Addr;

use crate::{Attrs, ParseError, SupercloudEvent, CONTRACT_ADDRESS_KEY};

/// A catalogued event with where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedEvent {
    /// The emitting contract (wasmd's `_contract_address`).
    pub contract: Addr,
    /// Index of the tx message that emitted it; `None` for block-level events.
    pub msg_index: Option<u32>,
    /// The event.
    pub event: SupercloudEvent,
}

impl ParsedEvent {
    /// Parses a chain event by its type and attributes. `Ok(None)` for events that are not in the
    /// catalogue (bank, `message`, other contracts' types); an error for a catalogued type that
    /// does not parse or has no `_contract_address`.
    pub fn parse<'a>(
        event_type: &str,
        attributes: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Option<Self>, ParseError> {
        let Some((contract, action)) = SupercloudEvent::split_type(event_type) else {
            return Ok(None);
        };
        let attrs = Attrs::new(attributes)?;
        let Some(event) = SupercloudEvent::from_parts(contract, action, &attrs)? else {
            return Ok(None);
        };
        let contract = attrs
            .contract_address()
            .ok_or_else(|| ParseError::Missing {
                key: CONTRACT_ADDRESS_KEY.to_string(),
            })?;
        Ok(Some(ParsedEvent {
            contract: Addr::unchecked(contract),
            msg_index: attrs.msg_index()?,
            event,
        }))
    }

    /// Parses a CometBFT event as tendermint-rpc delivers it.
    #[cfg(feature = "tendermint")]
    pub fn from_abci(event: &tendermint::abci::Event) -> Result<Option<Self>, ParseError> {
        let pairs = event
            .attributes
            .iter()
            .map(|a| match (a.key_str(), a.value_str()) {
                (Ok(k), Ok(v)) => Ok((k, v)),
                _ => Err(ParseError::Invalid {
                    key: String::from_utf8_lossy(a.key_bytes()).into_owned(),
                    value: String::from_utf8_lossy(a.value_bytes()).into_owned(),
                    reason: "attribute is not UTF-8".to_string(),
                }),
            })
            .collect::<Result<Vec<_>, _>>()?;
        Self::parse(&event.kind, pairs)
    }
}

#[cfg(test)]
mod tests {
    use cosmwasm_std::Decimal256;

    use super::*;
    use crate::{escrow, CatalogEvent};

    fn reopened() -> escrow::Reopened {
        escrow::Reopened {
            owner: Addr::unchecked("owner"),
            dseq: 3,
            height: 9,
            account_rate: Decimal256::percent(150),
            depletes_at: Some(70),
        }
    }

    fn chain_attrs(
        ev: &cosmwasm_std::Event,
        extra: &[(&'static str, &'static str)],
    ) -> Vec<(String, String)> {
        let mut attrs: Vec<(String, String)> = extra
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        attrs.extend(
            ev.attributes
                .iter()
                .map(|a| (a.key.clone(), a.value.clone())),
        );
        attrs
    }

    #[test]
    fn carries_contract_and_message_index() {
        let event = reopened().to_event();
        let attrs = chain_attrs(
            &event,
            &[("_contract_address", "cosmwasm1escrow"), ("msg_index", "2")],
        );
        let parsed = ParsedEvent::parse(
            "wasm-escrow.reopened",
            attrs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        )
        .unwrap()
        .unwrap();
        assert_eq!(parsed.contract, Addr::unchecked("cosmwasm1escrow"));
        assert_eq!(parsed.msg_index, Some(2));
        assert_eq!(parsed.event, SupercloudEvent::Escrow(reopened().into()));
    }

    #[test]
    fn block_level_events_have_no_message_index() {
        let event = reopened().to_event();
        let attrs = chain_attrs(&event, &[("_contract_address", "c")]);
        let parsed = ParsedEvent::parse(
            "wasm-escrow.reopened",
            attrs.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        )
        .unwrap()
        .unwrap();
        assert_eq!(parsed.msg_index, None);
    }

    #[test]
    fn refuses_what_it_cannot_place() {
        let event = reopened().to_event();
        let no_contract = chain_attrs(&event, &[]);
        let err = ParsedEvent::parse(
            "wasm-escrow.reopened",
            no_contract.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        )
        .unwrap_err();
        assert_eq!(
            err,
            ParseError::Missing {
                key: "_contract_address".into()
            }
        );
        let bad_index = chain_attrs(&event, &[("_contract_address", "c"), ("msg_index", "x")]);
        let err = ParsedEvent::parse(
            "wasm-escrow.reopened",
            bad_index.iter().map(|(k, v)| (k.as_str(), v.as_str())),
        )
        .unwrap_err();
        assert!(matches!(err, ParseError::Invalid { ref key, .. } if key == "msg_index"));
        let twice = [("_contract_address", "a"), ("_contract_address", "b")];
        assert!(matches!(
            ParsedEvent::parse("wasm-escrow.reopened", twice),
            Err(ParseError::Duplicate { .. })
        ));
        // Not ours: nothing to place, and no error.
        assert_eq!(
            ParsedEvent::parse("coin_spent", [("amount", "1uakt")]).unwrap(),
            None
        );
    }

    #[cfg(feature = "tendermint")]
    #[test]
    fn parses_a_cometbft_event() {
        let event = reopened().to_event();
        let attrs = chain_attrs(&event, &[("_contract_address", "c"), ("msg_index", "0")]);
        let abci = tendermint::abci::Event::new(
            "wasm-escrow.reopened",
            attrs.iter().map(|(k, v)| (k.as_str(), v.as_str(), true)),
        );
        let parsed = ParsedEvent::from_abci(&abci).unwrap().unwrap();
        assert_eq!(parsed.event, SupercloudEvent::Escrow(reopened().into()));
        assert_eq!(parsed.msg_index, Some(0));
    }
}
