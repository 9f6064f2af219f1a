//! CPU time spent by each part of a run, read from `/proc`: the node's RPC threads, every other
//! thread of this process (the ceiling's client or the in-process indexer) and the Postgres
//! cluster (the postmaster and all its children, live or exited). When the cores are saturated,
//! CPU per block rather than latency decides a run's rate, so these say where a ratio comes from.

use std::path::Path;

use anyhow::Context;

/// `/proc` reports times in USER_HZ, which the kernel ABI fixes at 100 on Linux.
const TICKS_PER_S: f64 = 100.0;

/// The name given to the node's runtime threads (the kernel keeps 15 bytes of it).
pub const NODE_THREAD: &str = "node-rpc";

/// CPU seconds used so far by each part.
#[derive(Clone, Copy, Debug, Default)]
pub struct Cpu {
    /// The node's RPC threads.
    pub node: f64,
    /// Every other thread of this process: the ceiling's client or the indexer.
    pub client: f64,
    /// The cluster: postmaster, backends and background workers.
    pub postgres: f64,
}

impl Cpu {
    /// CPU used by each part since `earlier`.
    pub fn since(self, earlier: Cpu) -> Cpu {
        Cpu {
            node: self.node - earlier.node,
            client: self.client - earlier.client,
            postgres: self.postgres - earlier.postgres,
        }
    }

    /// All three parts.
    pub fn total(self) -> f64 {
        self.node + self.client + self.postgres
    }

    /// Milliseconds of each part per 1,000 blocks, as JSON.
    pub fn per_1000_blocks(self, blocks: u64) -> serde_json::Value {
        let per = |s: f64| s * 1e6 / blocks.max(1) as f64;
        serde_json::json!({
            "node_ms": per(self.node),
            "client_ms": per(self.client),
            "postgres_ms": per(self.postgres),
            "total_ms": per(self.total()),
        })
    }
}

/// (user + system, children's user + system) seconds of one `/proc/.../stat` file.
fn stat_seconds(path: &Path) -> anyhow::Result<(f64, f64)> {
    let text = std::fs::read_to_string(path).with_context(|| path.display().to_string())?;
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    let rest = text
        .rsplit_once(')')
        .map(|(_, r)| r)
        .context("no ')' in stat")?;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // Fields 14-17 of proc(5) (utime, stime, cutime, cstime); `rest` starts at field 3.
    let tick = |n: usize| -> anyhow::Result<f64> {
        let v: f64 = fields.get(n - 3).context("short stat")?.parse()?;
        Ok(v / TICKS_PER_S)
    };
    Ok((tick(14)? + tick(15)?, tick(16)? + tick(17)?))
}

/// CPU used so far by this process's threads and by the cluster whose postmaster is `postmaster`.
pub fn sample(postmaster: u32) -> anyhow::Result<Cpu> {
    let (process, _) = stat_seconds(Path::new("/proc/self/stat"))?;
    let mut node = 0.0;
    for task in std::fs::read_dir("/proc/self/task")? {
        let dir = task?.path();
        // A thread that exited between the listing and the read has nothing left to count.
        let Ok(comm) = std::fs::read_to_string(dir.join("comm")) else {
            continue;
        };
        if comm.trim_end() == NODE_THREAD {
            if let Ok((own, _)) = stat_seconds(&dir.join("stat")) {
                node += own;
            }
        }
    }
    // Exited backends are in the postmaster's children's times once reaped; live ones are not.
    let pm = Path::new("/proc").join(postmaster.to_string());
    let (own, reaped) = stat_seconds(&pm.join("stat"))?;
    let mut postgres = own + reaped;
    let children = std::fs::read_to_string(pm.join(format!("task/{postmaster}/children")))?;
    for child in children.split_whitespace() {
        if let Ok((own, reaped)) = stat_seconds(&Path::new("/proc").join(child).join("stat")) {
            postgres += own + reaped;
        }
    }
    Ok(Cpu {
        node,
        client: process - node,
        postgres,
    })
}

/// The postmaster's pid, from the first line of `postmaster.pid` in the data directory.
pub fn postmaster_pid(data: &Path) -> anyhow::Result<u32> {
    let text = std::fs::read_to_string(data.join("postmaster.pid"))?;
    Ok(text
        .lines()
        .next()
        .context("empty postmaster.pid")?
        .parse()?)
}
