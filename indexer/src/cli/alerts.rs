//! The alerts' part of the command line: `indexer api-key create|list|revoke` (the operator
//! issues keys for alert mutations; a key is printed once, at creation, and only its hash is
//! stored) and the delivery worker a writer process (`sync`, `run`) runs.

use clap::{Args, Subcommand};
use deadpool_postgres::Pool;

use super::{Cli, SyncArgs};
use crate::alerts::keys;
use crate::api::notify::TaskGuard;
use crate::store::Store;

/// `api-key` subcommands.
#[derive(Subcommand, Debug)]
pub enum ApiKeyCmd {
    /// Creates a key and prints it (once) with its id.
    Create(CreateArgs),
    /// Lists keys: id, owner (or "all"), label, created, revoked. Never the keys.
    List,
    /// Revokes key ID: it is refused from then on.
    Revoke {
        /// The key's id (from `api-key list`).
        id: i64,
    },
}

/// `api-key create` flags: one of `--owner` or `--all`.
#[derive(Args, Debug)]
#[group(required = true, multiple = false, id = "scope")]
pub struct Scope {
    /// The owner (tenant) address whose accounts the key may act on.
    #[arg(long)]
    pub owner: Option<String>,
    /// The key may act on every owner's accounts.
    #[arg(long)]
    pub all: bool,
}

/// `api-key create` flags.
#[derive(Args, Debug)]
pub struct CreateArgs {
    /// Whose accounts.
    #[command(flatten)]
    pub scope: Scope,
    /// A label for people (who the key was issued to).
    #[arg(long)]
    pub label: Option<String>,
}

/// Runs `cmd` against the migrated database behind `pool`; returns what to print.
pub async fn api_key(pool: &Pool, cmd: &ApiKeyCmd) -> anyhow::Result<String> {
    let client = pool.get().await?;
    Ok(match cmd {
        ApiKeyCmd::Create(a) => {
            let owner = a.scope.owner.as_deref().filter(|_| !a.scope.all);
            if owner.is_some_and(|o| o.trim().is_empty()) {
                anyhow::bail!("--owner must not be empty");
            }
            let (key, secret) = keys::create(&**client, owner, a.label.as_deref()).await?;
            format!(
                "id   {}\nkey  {secret}\n(the key is shown only now: keep it)\n",
                key.id
            )
        }
        ApiKeyCmd::List => {
            let mut out = String::from("id\towner\tlabel\tcreated\trevoked\n");
            for k in keys::list(&**client).await? {
                out.push_str(&format!(
                    "{}\t{}\t{}\t{}\t{}\n",
                    k.id,
                    k.owner.as_deref().unwrap_or("all"),
                    k.label.as_deref().unwrap_or(""),
                    k.created_at.to_rfc3339(),
                    k.revoked_at.map(|t| t.to_rfc3339()).unwrap_or_default(),
                ));
            }
            out
        }
        ApiKeyCmd::Revoke { id } => {
            if !keys::revoke(&**client, *id).await? {
                anyhow::bail!("no live key {id}");
            }
            format!("revoked {id}\n")
        }
    })
}

/// The alert delivery worker of a writer process (unless `--no-deliver`); it stops when the
/// returned guard is dropped (undelivered rows stay in the outbox for the next run).
pub fn deliver(store: &Store, a: &SyncArgs, cli: &Cli) -> Option<TaskGuard> {
    if a.no_deliver {
        return None;
    }
    let config = crate::alerts::deliver::DeliveryConfig {
        allow_private: cli.allow_private_webhooks,
        ..Default::default()
    };
    let pool = store.pool().clone();
    let url = cli.database_url.clone();
    Some(TaskGuard::spawn(async move {
        if let Err(e) = crate::alerts::deliver::run(pool, url, config).await {
            tracing::error!(error = %e, "alert delivery stopped");
        }
    }))
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::super::Command;
    use super::*;

    #[test]
    fn api_keys_need_one_scope_and_alert_flags_reach_their_configs() {
        let parse = |args: &[&str]| Cli::try_parse_from([&["indexer"], args].concat());
        let cli = parse(&["api-key", "create", "--owner", "akash1a", "--label", "ops"]).unwrap();
        let Command::ApiKey(ApiKeyCmd::Create(c)) = cli.command else {
            panic!("not api-key create")
        };
        assert_eq!(c.scope.owner.as_deref(), Some("akash1a"));
        assert_eq!(c.label.as_deref(), Some("ops"));
        assert!(parse(&["api-key", "create", "--all"]).is_ok());
        assert!(parse(&["api-key", "create"]).is_err());
        assert!(parse(&["api-key", "create", "--all", "--owner", "a"]).is_err());
        assert!(parse(&["api-key", "revoke", "7"]).is_ok());
        assert!(parse(&["api-key", "list"]).is_ok());
        let cli = parse(&[
            "sync",
            "--rpc",
            "http://x",
            "--block-time-s",
            "300",
            "--no-deliver",
            "--allow-private-webhooks",
        ])
        .unwrap();
        assert!(cli.allow_private_webhooks);
        let Command::Sync(a) = cli.command else {
            panic!("not sync")
        };
        assert!(a.no_deliver);
        assert_eq!(a.config().block_time_s, 300);
        let cli = parse(&["run", "--rpc", "http://x"]).unwrap();
        let Command::Run(a) = cli.command else {
            panic!("not run")
        };
        assert!(!cli.allow_private_webhooks && !a.sync.no_deliver);
        assert_eq!(
            a.sync.config().block_time_s,
            crate::alerts::DEFAULT_SECS_PER_BLOCK
        );
    }
}
