//! A throwaway PostgreSQL cluster: `initdb` in a temporary directory, `postgres` on a free
//! loopback port with its socket in that directory, stopped and removed on drop.
//!
//! Postgres refuses to run as root, so when the caller is root the cluster runs as the `postgres`
//! user that Debian's package creates (`PGTEMP_USER` overrides it). Binaries come from
//! `PG_BIN`, else the newest `/usr/lib/postgresql/*/bin`, else `PATH`.

use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context};

/// A running throwaway cluster.
pub struct Cluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
    owner: Option<(u32, u32)>,
    server: Option<Child>,
}

impl Cluster {
    /// Creates and starts a cluster (trust auth, superuser `postgres`, durability settings
    /// relaxed for speed: a crashed server still recovers from its WAL).
    pub fn start() -> anyhow::Result<Self> {
        let bin = pg_bin()?;
        let dir = tempfile::Builder::new().prefix("pgtemp-").tempdir()?;
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755))?;
        let owner = run_as()?;
        let data = dir.path().join("data");
        std::fs::create_dir(&data)?;
        if let Some((uid, gid)) = owner {
            std::os::unix::fs::chown(&data, Some(uid), Some(gid))?;
            std::os::unix::fs::chown(dir.path(), Some(uid), Some(gid))?;
        }
        let mut initdb = Command::new(bin.join("initdb"));
        initdb
            .args([
                "-D",
                path_str(&data)?,
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
            ])
            .args(["--no-locale", "--no-sync"])
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        as_owner(&mut initdb, owner);
        let out = initdb.output().context("running initdb")?;
        if !out.status.success() {
            bail!("initdb failed: {}", String::from_utf8_lossy(&out.stderr));
        }
        let mut cluster = Cluster {
            dir,
            bin,
            port: free_port()?,
            owner,
            server: None,
        };
        cluster.start_server()?;
        Ok(cluster)
    }

    /// The TCP port the server listens on (127.0.0.1).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The cluster's directory (data in `data/`, socket and log beside it).
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    /// A connection URL for database `db` as the superuser.
    pub fn url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }

    /// Runs one SQL statement with `psql` against database `db` and returns its output.
    pub fn psql(&self, db: &str, sql: &str) -> anyhow::Result<String> {
        let out = Command::new(self.bin.join("psql"))
            .args(["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1"])
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-U",
                "postgres",
            ])
            .args(["-d", db, "-c", sql])
            .output()
            .context("running psql")?;
        if !out.status.success() {
            bail!("psql {sql:?}: {}", String::from_utf8_lossy(&out.stderr));
        }
        Ok(String::from_utf8_lossy(&out.stdout).trim().to_string())
    }

    /// Creates database `name`, as a copy of `template` when given.
    pub fn create_db(&self, name: &str, template: Option<&str>) -> anyhow::Result<()> {
        let sql = match template {
            Some(t) => format!("CREATE DATABASE \"{name}\" TEMPLATE \"{t}\""),
            None => format!("CREATE DATABASE \"{name}\""),
        };
        self.psql("postgres", &sql).map(|_| ())
    }

    /// Stops the server abruptly (as a crash would) and starts it again on the same data and
    /// port; it recovers from its WAL.
    pub fn crash_restart(&mut self) -> anyhow::Result<()> {
        self.stop_server(true);
        self.start_server()
    }

    /// Stops the server (fast shutdown) and leaves it stopped; the data stays until drop.
    pub fn stop(&mut self) {
        self.stop_server(false);
    }

    /// A streaming replica of this cluster on its own port: a base backup taken with
    /// `pg_basebackup -R` (which writes `standby.signal` and `primary_conninfo`), started as a hot
    /// standby that replays the primary's WAL and answers read-only queries. The primary runs
    /// with `wal_level=replica` and WAL senders; a `replication` entry is ensured in its
    /// `pg_hba.conf`.
    pub fn replica(&self) -> anyhow::Result<Cluster> {
        self.allow_replication()?;
        let dir = tempfile::Builder::new()
            .prefix("pgtemp-replica-")
            .tempdir()?;
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755))?;
        if let Some((uid, gid)) = self.owner {
            std::os::unix::fs::chown(dir.path(), Some(uid), Some(gid))?;
        }
        let data = dir.path().join("data");
        let mut backup = Command::new(self.bin.join("pg_basebackup"));
        backup
            .args([
                "-h",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-U",
                "postgres",
            ])
            .args(["-D", path_str(&data)?, "-R", "-X", "stream", "-c", "fast"])
            .arg("--no-sync")
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        as_owner(&mut backup, self.owner);
        let out = backup.output().context("running pg_basebackup")?;
        if !out.status.success() {
            bail!(
                "pg_basebackup failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let mut replica = Cluster {
            dir,
            bin: self.bin.clone(),
            port: free_port()?,
            owner: self.owner,
            server: None,
        };
        replica.start_server()?;
        Ok(replica)
    }

    /// Waits until this replica has replayed everything `primary` had written when called.
    pub fn wait_replayed(&self, primary: &Cluster, timeout: Duration) -> anyhow::Result<()> {
        // The insert position: with `synchronous_commit=off` a commit may not be written yet.
        let lsn = primary.psql("postgres", "SELECT pg_current_wal_insert_lsn()")?;
        let sql = format!("SELECT pg_last_wal_replay_lsn() >= '{lsn}'::pg_lsn");
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            if self.psql("postgres", &sql)? == "t" {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        bail!("the replica did not replay up to {lsn} in {timeout:?}")
    }

    /// Ensures loopback replication connections are trusted (initdb's default already does,
    /// this keeps it true whatever the packaged sample says).
    fn allow_replication(&self) -> anyhow::Result<()> {
        let hba = self.dir.path().join("data").join("pg_hba.conf");
        let text = std::fs::read_to_string(&hba).context("reading pg_hba.conf")?;
        let line = "host replication all 127.0.0.1/32 trust";
        let present = text
            .lines()
            .any(|l| l.split_whitespace().collect::<Vec<_>>().join(" ") == line);
        if !present {
            std::fs::write(&hba, format!("{text}\n{line}\n"))?;
            self.psql("postgres", "SELECT pg_reload_conf()")?;
        }
        Ok(())
    }

    fn start_server(&mut self) -> anyhow::Result<()> {
        let data = self.dir.path().join("data");
        let log = std::fs::File::create(self.dir.path().join("server.log"))?;
        if let Some((uid, gid)) = self.owner {
            std::os::unix::fs::chown(self.dir.path().join("server.log"), Some(uid), Some(gid))?;
        }
        let mut cmd = Command::new(self.bin.join("postgres"));
        cmd.args(["-D", path_str(&data)?, "-p", &self.port.to_string()])
            .args([
                "-k",
                path_str(self.dir.path())?,
                "-c",
                "listen_addresses=127.0.0.1",
            ])
            .args(["-c", "fsync=off", "-c", "synchronous_commit=off"])
            .args(["-c", "full_page_writes=off", "-c", "max_connections=200"])
            .args(["-c", "wal_level=replica", "-c", "max_wal_senders=4"])
            .args(["-c", "hot_standby=on"])
            .stdin(Stdio::null())
            .stdout(log.try_clone()?)
            .stderr(log);
        as_owner(&mut cmd, self.owner);
        self.server = Some(cmd.spawn().context("starting postgres")?);
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if self.psql("postgres", "SELECT 1").is_ok() {
                return Ok(());
            }
            if let Some(child) = self.server.as_mut() {
                if let Some(status) = child.try_wait()? {
                    bail!("postgres exited with {status}: {}", self.log_tail());
                }
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        bail!(
            "postgres did not accept connections in 30 s: {}",
            self.log_tail()
        )
    }

    fn stop_server(&mut self, crash: bool) {
        if let Some(mut child) = self.server.take() {
            // SIGQUIT is postgres' immediate shutdown (no checkpoint: recovery on next start);
            // SIGINT its fast shutdown.
            let signal = if crash { "-QUIT" } else { "-INT" };
            let _ = Command::new("kill")
                .args([signal, &child.id().to_string()])
                .status();
            let deadline = Instant::now() + Duration::from_secs(20);
            while Instant::now() < deadline {
                if matches!(child.try_wait(), Ok(Some(_))) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(self.dir.path().join("server.log")).unwrap_or_default();
        let lines: Vec<_> = log.lines().rev().take(20).collect();
        lines.into_iter().rev().collect::<Vec<_>>().join("\n")
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.stop_server(false);
    }
}

fn path_str(p: &Path) -> anyhow::Result<&str> {
    p.to_str().context("non-UTF-8 path")
}

fn as_owner(cmd: &mut Command, owner: Option<(u32, u32)>) {
    if let Some((uid, gid)) = owner {
        cmd.uid(uid).gid(gid);
        // The caller's HOME may be unreadable to the postgres user.
        cmd.env("HOME", "/tmp");
    }
}

/// The user the cluster runs as: `None` (the caller) unless the caller is root.
fn run_as() -> anyhow::Result<Option<(u32, u32)>> {
    let uid = id(&["-u"])?;
    if uid != 0 {
        return Ok(None);
    }
    let user = std::env::var("PGTEMP_USER").unwrap_or_else(|_| "postgres".to_string());
    Ok(Some((id(&["-u", &user])?, id(&["-g", &user])?)))
}

fn id(args: &[&str]) -> anyhow::Result<u32> {
    let out = Command::new("id")
        .args(args)
        .output()
        .context("running id")?;
    if !out.status.success() {
        bail!(
            "id {args:?}: {} (install Debian's postgresql package, which creates the postgres user)",
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().parse()?)
}

fn pg_bin() -> anyhow::Result<PathBuf> {
    if let Ok(dir) = std::env::var("PG_BIN") {
        return Ok(PathBuf::from(dir));
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v = e.file_name().to_str()?.parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("postgres").exists().then_some((v, bin))
        })
        .collect();
    versions.sort();
    if let Some((_, bin)) = versions.pop() {
        return Ok(bin);
    }
    bail!("no PostgreSQL server found: install Debian's postgresql package or set PG_BIN")
}

fn free_port() -> anyhow::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starts_answers_survives_a_crash_and_cleans_up() {
        let mut pg = Cluster::start().unwrap();
        let dir = pg.dir().to_path_buf();
        pg.create_db("a", None).unwrap();
        pg.psql("a", "CREATE TABLE t (x int); INSERT INTO t VALUES (7)")
            .unwrap();
        pg.create_db("b", Some("a")).unwrap();
        assert_eq!(pg.psql("b", "SELECT x FROM t").unwrap(), "7");
        pg.crash_restart().unwrap();
        assert_eq!(pg.psql("a", "SELECT count(*) FROM t").unwrap(), "1");
        drop(pg);
        assert!(!dir.exists(), "the cluster directory is removed");
    }

    #[test]
    fn a_replica_follows_the_primary_and_refuses_writes() {
        let pg = Cluster::start().unwrap();
        pg.create_db("a", None).unwrap();
        pg.psql("a", "CREATE TABLE t (x int); INSERT INTO t VALUES (1)")
            .unwrap();
        let replica = pg.replica().unwrap();
        assert_ne!(replica.port(), pg.port());
        pg.psql("a", "INSERT INTO t VALUES (2)").unwrap();
        replica.wait_replayed(&pg, Duration::from_secs(30)).unwrap();
        assert_eq!(replica.psql("a", "SELECT sum(x) FROM t").unwrap(), "3");
        assert_eq!(
            replica.psql("a", "SELECT pg_is_in_recovery()").unwrap(),
            "t"
        );
        assert!(replica.psql("a", "INSERT INTO t VALUES (3)").is_err());
    }
}
