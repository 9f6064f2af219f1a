//! The writer's block announcements, per `serve` process: one task `LISTEN`s on
//! [`BLOCKS_CHANNEL`] on the primary (a hot standby cannot `LISTEN`) and publishes the newest
//! committed height in a `watch` channel every subscription reads. Announcements only wake
//! subscribers: each reads its rows from the database after the last height it sent, so
//! coalesced or missed notifications lose nothing.

use std::time::Duration;

use futures::StreamExt;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::store::BLOCKS_CHANNEL;

/// Wait before reconnecting after the listening connection failed.
const RECONNECT: Duration = Duration::from_secs(1);

/// A task stopped when this handle is dropped (the listener lives as long as its server, the
/// delivery worker as long as its sync).
pub struct TaskGuard(JoinHandle<()>);

impl TaskGuard {
    /// Runs `task` until the handle is dropped.
    pub fn spawn(task: impl std::future::Future<Output = ()> + Send + 'static) -> TaskGuard {
        TaskGuard(tokio::spawn(task))
    }
}

impl Drop for TaskGuard {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Starts listening on `url`; the receiver holds the newest announced height (0 before any).
pub fn start(url: String) -> (TaskGuard, watch::Receiver<i64>) {
    let (tx, rx) = watch::channel(0i64);
    (TaskGuard::spawn(listen(url, tx)), rx)
}

/// Raises the published height to `h` (heights only move forward).
fn publish(tx: &watch::Sender<i64>, h: i64) {
    tx.send_if_modified(|cur| {
        let newer = h > *cur;
        if newer {
            *cur = h;
        }
        newer
    });
}

/// Listens forever, reconnecting; after each (re)connection publishes the committed height, so
/// batches committed while disconnected are not missed.
async fn listen(url: String, tx: watch::Sender<i64>) {
    loop {
        match tokio_postgres::connect(&url, tokio_postgres::NoTls).await {
            Ok((client, mut conn)) => {
                let (note_tx, mut note_rx) = tokio::sync::mpsc::unbounded_channel();
                // The connection must be polled for the LISTEN below to complete.
                let pump = tokio::spawn(async move {
                    let mut messages = futures::stream::poll_fn(move |cx| conn.poll_message(cx));
                    while let Some(m) = messages.next().await {
                        match m {
                            Ok(tokio_postgres::AsyncMessage::Notification(n)) => {
                                if note_tx.send(n.payload().to_string()).is_err() {
                                    break;
                                }
                            }
                            Ok(_) => {}
                            Err(_) => break,
                        }
                    }
                });
                let ready = async {
                    client
                        .batch_execute(&format!("LISTEN {BLOCKS_CHANNEL}"))
                        .await?;
                    client
                        .query_opt("SELECT block_height FROM sync_cursor", &[])
                        .await
                };
                match ready.await {
                    Ok(row) => {
                        if let Some(h) = row.and_then(|r| r.try_get::<_, i64>(0).ok()) {
                            publish(&tx, h);
                        }
                        while let Some(payload) = note_rx.recv().await {
                            if let Ok(h) = payload.parse::<i64>() {
                                publish(&tx, h);
                            }
                        }
                        tracing::warn!("block notifications: connection lost; reconnecting");
                    }
                    Err(e) => tracing::warn!(error = %e, "block notifications: cannot LISTEN"),
                }
                pump.abort();
            }
            Err(e) => tracing::warn!(error = %e, "block notifications: cannot connect"),
        }
        if tx.is_closed() {
            return;
        }
        tokio::time::sleep(RECONNECT).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_published_height_only_moves_forward() {
        let (tx, rx) = watch::channel(0i64);
        publish(&tx, 5);
        publish(&tx, 3);
        assert_eq!(*rx.borrow(), 5);
        publish(&tx, 9);
        assert_eq!(*rx.borrow(), 9);
    }
}
