//! A response's events read back through the shared catalogue (`supercloud-events`), so tests
//! assert on the same typed events indexers decode rather than on raw attribute strings.

use cw_multi_test::AppResponse;
use supercloud_events::{Attrs, CatalogEvent, ParseError, SupercloudEvent, WASM_EVENT_PREFIX};

/// Every catalogue event of `res`, in order; events outside the catalogue (`wasm`, `execute`, …)
/// are skipped, and one that claims a catalogue type but does not parse fails the test.
pub fn events(res: &AppResponse) -> Vec<SupercloudEvent> {
    res.events
        .iter()
        .filter_map(|e| {
            let attrs = e
                .attributes
                .iter()
                .map(|a| (a.key.as_str(), a.value.as_str()));
            SupercloudEvent::parse(&e.ty, attrs)
                .unwrap_or_else(|err| panic!("event {} does not parse: {err}", e.ty))
        })
        .collect()
}

/// Every event of catalogue type `E` in `res`, in order, decoded through the catalogue; one that
/// does not parse fails the test.
pub fn of<E: CatalogEvent>(res: &AppResponse) -> Vec<E> {
    try_of(res).unwrap_or_else(|err| panic!("event {} does not parse: {err}", E::event_type()))
}

/// Every event of catalogue type `E` in `res`, in order, or the first that does not parse.
pub fn try_of<E: CatalogEvent>(res: &AppResponse) -> Result<Vec<E>, ParseError> {
    let ty = format!("{WASM_EVENT_PREFIX}{}", E::event_type());
    res.events
        .iter()
        .filter(|e| e.ty == ty)
        .map(|e| {
            Attrs::new(
                e.attributes
                    .iter()
                    .map(|a| (a.key.as_str(), a.value.as_str())),
            )
            .and_then(|attrs| E::from_attrs(&attrs))
        })
        .collect()
}

/// Every catalogue event of `res`, in order, or the first that claims a catalogue type but does
/// not parse.
pub fn try_all(res: &AppResponse) -> Result<Vec<SupercloudEvent>, ParseError> {
    let mut out = Vec::new();
    for e in &res.events {
        let attrs = e
            .attributes
            .iter()
            .map(|a| (a.key.as_str(), a.value.as_str()));
        out.extend(SupercloudEvent::parse(&e.ty, attrs)?);
    }
    Ok(out)
}

/// The one event of catalogue type `E` in `res`; none or several fail the test.
pub fn one<E: CatalogEvent + std::fmt::Debug>(res: &AppResponse) -> E {
    let mut all = of::<E>(res);
    assert_eq!(
        all.len(),
        1,
        "expected one {} event: {all:?}",
        E::event_type()
    );
    all.remove(0)
}
