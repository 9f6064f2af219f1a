//! Runs one flow body on both backends and checks they agree.

use crate::backend::Backend;
use crate::snapshot::Snapshot;
use crate::suite::Suite;

/// Runs `flow` on a native suite and on a wasm suite (both deployed at `usd` per AKT), then
/// requires equal transcripts (every event and error text) and equal end state (every balance
/// and every contract's raw storage). `extra` names more accounts to include in the balances.
/// Returns both suites for further checks.
pub fn on_both_backends(
    usd: &str,
    extra: &[&str],
    flow: impl Fn(&mut Suite) -> anyhow::Result<()>,
) -> anyhow::Result<(Suite, Suite)> {
    let mut suites = Vec::with_capacity(2);
    for backend in [Backend::Native, Backend::Wasm] {
        let mut suite = Suite::new(backend, usd)?;
        flow(&mut suite).map_err(|e| e.context(format!("flow on {backend:?}")))?;
        suites.push(suite);
    }
    let (wasm, native) = match (suites.pop(), suites.pop()) {
        (Some(w), Some(n)) => (w, n),
        _ => anyhow::bail!("expected two suites"),
    };
    if let Some((i, a, b)) = native.transcript.first_difference(&wasm.transcript) {
        anyhow::bail!("transcripts differ at step {i}:\n native: {a}\n wasm:   {b}");
    }
    let (sn, sw) = (Snapshot::of(&native, extra)?, Snapshot::of(&wasm, extra)?);
    if sn.balances != sw.balances {
        anyhow::bail!(
            "balances differ:\n native: {:?}\n wasm:   {:?}",
            sn.balances,
            sw.balances
        );
    }
    for (name, records) in &sn.storage {
        if sw.storage.get(name) != Some(records) {
            anyhow::bail!("raw storage of {name} differs between backends");
        }
    }
    anyhow::ensure!(sn.height == sw.height, "heights differ");
    Ok((native, wasm))
}
