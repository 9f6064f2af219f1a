//! The scenario fast-forward produces traffic on every contract: leases and withdrawals on
//! escrow, prices on the oracle and mock-pyth, mints and epochs on bme, bookings and claims on
//! reservations, a governance-created pilot settled on pip, and only the failures it meant.
//! Contracts see the sealed block's height and time (the app's block follows the header).

use devnet::genesis::CONTRACTS;
use devnet::node::ExecutedBlock;
use devnet::runner::{genesis, DevnetConfig};

fn attr<'a>(e: &'a devnet::node::AbciEvent, key: &str) -> Option<&'a str> {
    e.attributes
        .iter()
        .find(|a| a.key == key)
        .map(|a| a.value.as_str())
}

#[test]
fn fast_forward_touches_every_contract() {
    let mut config = DevnetConfig {
        history_days: 4,
        vm_cache: Some(supercloud_vm::workspace_cache_dir()),
        ..DevnetConfig::default()
    };
    // More deliberate failures than the demo's 2 a day, so every kind shows up in 4 days.
    config.scenario.failures_per_day = 12.0;
    let mut blocks: Vec<ExecutedBlock> = Vec::new();
    let mut sink = |b| blocks.push(b);
    let (mut chain, mut scenario, _) = genesis(&config, &mut sink).unwrap();
    let t = std::time::Instant::now();
    scenario
        .fast_forward(&mut chain, 4, &mut sink, &mut |_| {})
        .unwrap();
    let stats = scenario.stats().clone();
    eprintln!("4 days in {:?}\n{stats}", t.elapsed());
    for name in CONTRACTS {
        let c = stats
            .contracts
            .get(name)
            .unwrap_or_else(|| panic!("no traffic on {name}"));
        assert!(c.msgs > 0, "no messages to {name}");
    }
    for action in [
        "oracle.push",
        "bme.mint",
        "bme.process",
        "escrow.open",
        "escrow.withdraw",
        "reservations.reserve",
        "reservations.confirm",
        "reservations.claim",
        "gov.submit",
        "gov.vote",
        "pip.enroll",
        "pip.approve",
        "pip.settle",
    ] {
        assert!(
            stats.actions.get(action).copied().unwrap_or(0) > 0,
            "no {action} tx: {:?}",
            stats.actions
        );
    }
    assert!(
        stats.contracts["escrow"]
            .volume
            .get("uakt")
            .copied()
            .unwrap_or(0)
            > 0
    );
    assert!(
        stats.contracts["escrow"]
            .volume
            .get("uact")
            .copied()
            .unwrap_or(0)
            > 0,
        "no ACT deployment"
    );
    assert!(stats.failed_on_purpose > 0, "no deliberate failure");
    // The deliberately starved deposits ran out of gas, as the SDK reports it; nothing else did
    // (the pip keeper sizes its gas by simulation).
    let out_of_gas: Vec<_> = blocks
        .iter()
        .flat_map(|b| &b.txs)
        .filter(|t| t.outcome.code == 11)
        .map(|t| &t.outcome)
        .collect();
    assert!(!out_of_gas.is_empty(), "no out-of-gas tx in 4 days");
    let settles: Vec<_> = blocks
        .iter()
        .flat_map(|b| &b.txs)
        .filter(|t| {
            t.outcome
                .events
                .iter()
                .any(|e| e.kind.starts_with("wasm-pip.epoch_"))
        })
        .map(|t| &t.outcome)
        .collect();
    assert!(!settles.is_empty(), "no pip settlement");
    for o in &settles {
        // Sized by simulation (x1.4), not the flat per-message default.
        let (wanted, used) = (o.gas_wanted, o.gas_used);
        assert!(
            used * 13 / 10 <= wanted && wanted <= used * 15 / 10,
            "{o:?}"
        );
    }
    for o in &out_of_gas {
        assert!(o.gas_used > o.gas_wanted && o.gas_wanted == 40_000, "{o:?}");
        assert!(o.log.ends_with(": out of gas"), "{}", o.log);
    }
    assert_eq!(
        stats.unexpected_count, 0,
        "unexpected failures: {:?}",
        stats.unexpected
    );
    assert_eq!(
        chain.height(),
        blocks.len() as u64,
        "every sealed block went to the sink"
    );

    // Contracts saw each block's own height and time.
    let (mut heights, mut times) = (0, 0);
    for b in &blocks {
        for e in b.txs.iter().flat_map(|t| &t.outcome.events) {
            if e.kind == "wasm-escrow.account_opened" {
                assert_eq!(attr(e, "height"), Some(b.height.to_string().as_str()));
                heights += 1;
            }
            if e.kind == "wasm-reservations.reservation_confirmed" {
                let secs = (b.time_unix_nanos / 1_000_000_000).to_string();
                assert_eq!(attr(e, "time"), Some(secs.as_str()));
                times += 1;
            }
        }
    }
    assert!(heights > 0 && times > 0);
}
