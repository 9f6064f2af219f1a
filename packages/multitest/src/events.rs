//! A response's events read back through the shared catalogue (`supercloud-events`), so tests
//! assert on the same typed events indexers decode rather than on raw attribute strings.

use cw_multi_test::AppResponse;
use supercloud_events::SupercloudEvent;

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
