//! The `devnet` binary as `scripts/demo.sh` runs it, as a separate process: it prints the RPC URL
//! and a summary naming every contract, serves the history and then blocks that keep coming, and
//! stops cleanly on SIGTERM.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use devnet::genesis::CONTRACTS;
use tendermint_rpc::client::CompatMode;
use tendermint_rpc::{Client, HttpClient};

/// Genesis and one day of history in a debug build (modules from the workspace's VM cache).
const READY_TIMEOUT: Duration = Duration::from_secs(180);

/// Stdout of the child, line by line, read on a thread so a test can wait with a timeout.
fn lines(child: &mut Child) -> Receiver<String> {
    let stdout = child.stdout.take().expect("stdout is piped");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    rx
}

/// Lines up to and including the first one that starts with `prefix`.
fn until(rx: &Receiver<String>, prefix: &str, deadline: Instant) -> Vec<String> {
    let mut seen = Vec::new();
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) => {
                let done = line.starts_with(prefix);
                seen.push(line);
                if done {
                    return seen;
                }
            }
            Err(e) => panic!(
                "no line starting with {prefix:?} ({e}); got:\n{}",
                seen.join("\n")
            ),
        }
    }
}

/// The devnet process, killed if the test ends before it exits (a failed assertion must not
/// leave a chain producing blocks behind it).
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

fn wait(child: &mut Child, timeout: Duration) -> ExitStatus {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(status) = child.try_wait().expect("polling the devnet process") {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("devnet did not exit within {timeout:?} of SIGTERM");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn binary_serves_history_then_live_blocks_and_stops_on_sigterm() {
    let mut child = Running(
        Command::new(env!("CARGO_BIN_EXE_devnet"))
            .args(["--listen", "127.0.0.1:0", "--days", "1"])
            .args(["--live-interval", "200ms", "--keep-recent", "1000"])
            .arg("--vm-cache")
            .arg(supercloud_vm::workspace_cache_dir())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawning the devnet binary"),
    );
    let rx = lines(&mut child.0);
    let deadline = Instant::now() + READY_TIMEOUT;

    let first = until(&rx, "devnet: CometBFT RPC on http://", deadline);
    let url = first
        .last()
        .and_then(|l| l.split_whitespace().find(|w| w.starts_with("http://")))
        .expect("the RPC URL")
        .to_string();
    let summary = until(&rx, "RPC: http://", deadline).join("\n");
    for name in CONTRACTS {
        let listed = summary
            .lines()
            .any(|l| l.split_whitespace().next() == Some(name) && l.contains("akash1"));
        assert!(listed, "{name} with its address in the summary:\n{summary}");
    }
    assert!(summary.contains(&url), "the summary repeats the RPC URL");

    let client = HttpClient::builder(url.parse().expect("url"))
        .compat_mode(CompatMode::V0_38)
        .build()
        .expect("client");
    let at_ready = client.status().await.expect("status").sync_info;
    // One day of 6 s blocks, after the genesis proposals.
    assert!(
        at_ready.latest_block_height.value() >= 14_400,
        "height {} after a day of history",
        at_ready.latest_block_height
    );
    // Pruned to the 1,000 most recent blocks: older heights answer CometBFT's error.
    let earliest = at_ready.earliest_block_height.value();
    assert!(earliest > 1 && at_ready.latest_block_height.value() - earliest <= 999);
    let pruned = client
        .block(tendermint::block::Height::from(1u32))
        .await
        .expect_err("height 1 is pruned");
    assert!(
        pruned
            .to_string()
            .contains(&format!("lowest height is {earliest}")),
        "{pruned}"
    );
    // The history ends just before the wall clock, never after it.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .expect("after 1970")
        .as_secs() as i64;
    let tip = at_ready.latest_block_time.unix_timestamp();
    assert!(tip <= now, "the chain clock ran ahead of the wall clock");
    assert!(now - tip < 15 * 60, "the history ends just before now");
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let later = client.status().await.expect("status").sync_info;
    assert!(
        later.latest_block_height > at_ready.latest_block_height,
        "live blocks keep coming ({} then {})",
        at_ready.latest_block_height,
        later.latest_block_height
    );
    assert!(later.latest_block_time > at_ready.latest_block_time);
    assert!(later.latest_block_time.unix_timestamp() <= now + 2);

    let term = Command::new("kill")
        .args(["-TERM", &child.0.id().to_string()])
        .status()
        .expect("running kill");
    assert!(term.success());
    let status = wait(&mut child.0, Duration::from_secs(30));
    assert!(status.success(), "exit after SIGTERM: {status}");
    // A clean stop reports its height (the reader thread may still be forwarding it).
    until(
        &rx,
        "devnet: stopping at height",
        Instant::now() + Duration::from_secs(10),
    );
}
