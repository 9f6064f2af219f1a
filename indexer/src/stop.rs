//! One stop request shared by everything a process runs (sync, serve, retries).
//!
//! A signal is delivered once, but sync and serve both wait for it, and sync may be between two
//! listeners (in a retry sleep) when it arrives. A latch keeps the request, so whoever looks
//! later still sees it.

use std::sync::{Arc, OnceLock};

use tokio::sync::watch;

/// A latch that is set once: by Ctrl-C / SIGTERM ([`Stop::on_signal`]) or by [`Stop::request`].
#[derive(Clone, Debug)]
pub struct Stop {
    tx: Arc<watch::Sender<bool>>,
}

impl Default for Stop {
    fn default() -> Self {
        Stop::new()
    }
}

impl Stop {
    /// A latch nothing sets but [`Stop::request`] (tests, embedding).
    pub fn new() -> Self {
        Stop {
            tx: Arc::new(watch::channel(false).0),
        }
    }

    /// The process's latch, set by Ctrl-C or SIGTERM. The listener starts on the first call;
    /// needs a Tokio runtime.
    pub fn on_signal() -> Self {
        static PROCESS: OnceLock<Stop> = OnceLock::new();
        PROCESS
            .get_or_init(|| {
                let stop = Stop::new();
                let set = stop.clone();
                tokio::spawn(async move {
                    signal().await;
                    set.request();
                });
                stop
            })
            .clone()
    }

    /// Sets the latch.
    pub fn request(&self) {
        self.tx.send_replace(true);
    }

    /// Whether the latch is set.
    pub fn is_requested(&self) -> bool {
        *self.tx.borrow()
    }

    /// Resolves once the latch is set (at once if it already is).
    pub async fn requested(&self) {
        let mut rx = self.tx.subscribe();
        // The sender lives in `self`, so `wait_for` cannot fail for want of a sender.
        let _ = rx.wait_for(|set| *set).await;
    }
}

/// Resolves on Ctrl-C or SIGTERM.
async fn signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = ctrl_c => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = ctrl_c.await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_request_made_before_anyone_waits_is_still_seen() {
        let stop = Stop::new();
        assert!(!stop.is_requested());
        let waiter = stop.clone();
        stop.request();
        tokio::time::timeout(std::time::Duration::from_secs(1), waiter.requested())
            .await
            .expect("a set latch resolves at once");
        assert!(waiter.is_requested());
    }

    #[tokio::test]
    async fn an_unset_latch_does_not_resolve() {
        let stop = Stop::new();
        let waited =
            tokio::time::timeout(std::time::Duration::from_millis(50), stop.requested()).await;
        assert!(waited.is_err());
    }
}
