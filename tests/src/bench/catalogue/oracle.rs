//! oracle: a Pyth source on mock-pyth is added and refreshed (the relayer, mock-pyth's publisher,
//! sets its price first), the relayer pushes, the authority tunes, removes, pauses and hands over.

use oracle::msg::{ExecuteMsg, SourcesResponse};

use super::{governance, measure, mock_pyth};
use crate::bench::Bench;
use crate::suite::{raw_price, BLOCK_S, PAIR};

/// A pair of its own for the Pyth source, so the suite's akt/usd stays on the relayer alone.
const PYTH_PAIR: &str = "eth/usd";

pub(super) fn run(bench: &mut Bench) -> anyhow::Result<()> {
    let mut s = bench.suite()?;
    let add = ExecuteMsg::AddSource {
        pair: PYTH_PAIR.into(),
        source: "pyth".into(),
        kind: oracle::msg::SourceKindMsg::Pyth {
            contract: s.c.mock_pyth.to_string(),
            feed_id: mock_pyth::FEED_ID.into(),
        },
    };
    measure(bench, &mut s, "oracle", "gov", &add, &[])?;
    let price = mock_pyth::set_price(&s)?;
    let mock = s.c.mock_pyth.clone();
    s.exec_ok("set pyth price", "relayer", &mock, &price, &[])?;
    let refresh = ExecuteMsg::Refresh {
        pair: PYTH_PAIR.into(),
    };
    measure(bench, &mut s, "oracle", "keeper", &refresh, &[])?;
    // The pulled observation was accepted (a rejection would not fail the call).
    let oracle = s.c.oracle.clone();
    let sources: SourcesResponse = s
        .query(
            &oracle,
            &oracle::msg::QueryMsg::Sources {
                pair: PYTH_PAIR.into(),
                start_after: None,
                limit: None,
            },
        )
        .map_err(|e| anyhow::anyhow!("sources: {e}"))?;
    anyhow::ensure!(
        sources.sources.iter().all(|src| src.count == 1),
        "refresh recorded no observation: {sources:?}"
    );

    // A block later without the suite's own push, so the measured one is a fresh observation.
    s.app.update_block(|b| {
        b.height += 1;
        b.time = b.time.plus_seconds(BLOCK_S);
    });
    let push = ExecuteMsg::Push {
        pair: PAIR.into(),
        source: "relayer".into(),
        price: cosmwasm_std::Int64::new(raw_price("2.5")),
        conf: cosmwasm_std::Uint64::zero(),
        expo: -8,
        publish_time: i64::try_from(s.now())?,
    };
    measure(bench, &mut s, "oracle", "relayer", &push, &[])?;
    let update = ExecuteMsg::UpdateConfig {
        max_staleness_s: None,
        max_conf_bps: Some(300),
        max_future_drift_s: None,
        twap_window_s: None,
        max_deviation_bps: None,
        min_sources: None,
    };
    measure(bench, &mut s, "oracle", "gov", &update, &[])?;
    let remove = ExecuteMsg::RemoveSource {
        pair: PYTH_PAIR.into(),
        source: "pyth".into(),
    };
    measure(bench, &mut s, "oracle", "gov", &remove, &[])?;
    governance(
        bench,
        &mut s,
        "oracle",
        |paused| ExecuteMsg::SetPaused { paused },
        ExecuteMsg::Authority,
    )
}
