//! Events in the shape wasmd on SDK 0.50+ emits them: `msg_index` on message events, bank
//! `coin_spent`/`coin_received`/`transfer`, the baseapp `message` event, ante `tx` events, and
//! `mode` on block-level events.

use cosmwasm_std::Event;

use crate::node::{AbciEvent, Attribute};
use crate::proto::type_url::module_of;

fn attr(key: &str, value: &str) -> Attribute {
    Attribute {
        key: key.to_string(),
        value: value.to_string(),
        index: true,
    }
}

fn get<'a>(event: &'a Event, key: &str) -> &'a str {
    event
        .attributes
        .iter()
        .find(|a| a.key == key)
        .map_or("", |a| a.value.as_str())
}

/// cw-multi-test events as ABCI events: a bank `transfer` becomes `coin_spent`, `coin_received`
/// and `transfer`, as the SDK bank keeper emits them; everything else is copied.
pub fn from_app(events: &[Event]) -> Vec<AbciEvent> {
    let mut out = Vec::with_capacity(events.len() + 4);
    for event in events {
        if event.ty == "transfer" {
            let (sender, recipient, amount) = (
                get(event, "sender"),
                get(event, "recipient"),
                get(event, "amount"),
            );
            out.extend(bank_transfer(sender, recipient, amount));
        } else {
            out.push(AbciEvent {
                kind: event.ty.clone(),
                attributes: event
                    .attributes
                    .iter()
                    .map(|a| attr(&a.key, &a.value))
                    .collect(),
            });
        }
    }
    out
}

/// The three bank events of one transfer.
pub fn bank_transfer(sender: &str, recipient: &str, amount: &str) -> Vec<AbciEvent> {
    vec![
        AbciEvent::new("coin_spent", [("spender", sender), ("amount", amount)]),
        AbciEvent::new(
            "coin_received",
            [("receiver", recipient), ("amount", amount)],
        ),
        AbciEvent::new(
            "transfer",
            [
                ("recipient", recipient),
                ("sender", sender),
                ("amount", amount),
            ],
        ),
    ]
}

/// The baseapp `message` event of a message: action (type URL), sender, module.
pub fn message(type_url: &str, sender: &str) -> AbciEvent {
    AbciEvent::new(
        "message",
        [
            ("action", type_url),
            ("sender", sender),
            ("module", module_of(type_url)),
        ],
    )
}

/// Appends `key=value` to every event.
pub fn tag(events: &mut [AbciEvent], key: &str, value: &str) {
    for event in events {
        event.attributes.push(attr(key, value));
    }
}
