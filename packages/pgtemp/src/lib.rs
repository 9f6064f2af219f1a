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
}
