//! Raw event attributes, for the assertions that still read wasm attributes as strings.

use cosmwasm_std::Event;
use cw_multi_test::AppResponse;

/// The value of attribute `key` in the first event of type `ty` (`wasm` or a full custom type);
/// its absence fails the test.
pub fn attr(res: &AppResponse, ty: &str, key: &str) -> String {
    res.events
        .iter()
        .filter(|e| e.ty == ty)
        .flat_map(|e| e.attributes.iter())
        .find(|a| a.key == key)
        .map(|a| a.value.clone())
        .unwrap_or_else(|| panic!("no attribute {key} in {ty} events: {:?}", res.events))
}

/// The value of attribute `key` of `event`; its absence fails the test.
pub fn ev_attr(event: &Event, key: &str) -> String {
    event
        .attributes
        .iter()
        .find(|a| a.key == key)
        .map(|a| a.value.clone())
        .unwrap_or_else(|| panic!("no {key} in {event:?}"))
}
