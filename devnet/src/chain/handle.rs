//! Access to a chain that lives on its own thread (the `App` is not `Send`): RPC handlers hold a
//! [`ChainClient`] (the [`Abci`] implementation) that sends queries and txs over a channel, and
//! the chain thread answers them between blocks through its [`Inbox`].

use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::core::Chain;
use crate::node::{Abci, QueryOutcome, TxOutcome};
use crate::proto::tx_service::SIMULATE_PATH;

/// How long a query waits for the chain thread (it answers between blocks).
const QUERY_TIMEOUT: Duration = Duration::from_secs(30);

/// A request to the chain thread.
enum Request {
    Query {
        path: String,
        data: Vec<u8>,
        height: u64,
        reply: mpsc::SyncSender<QueryOutcome>,
    },
    CheckTx {
        tx: Vec<u8>,
        reply: mpsc::SyncSender<Result<TxOutcome, String>>,
    },
}

/// Thread-safe handle that forwards `abci_query` to the chain thread.
#[derive(Clone)]
pub struct ChainClient {
    tx: mpsc::Sender<Request>,
}

/// The chain thread's end of the channel.
pub struct Inbox {
    rx: mpsc::Receiver<Request>,
}

/// A connected client and inbox.
pub fn channel() -> (ChainClient, Inbox) {
    let (tx, rx) = mpsc::channel();
    (ChainClient { tx }, Inbox { rx })
}

fn unavailable(log: &str) -> QueryOutcome {
    QueryOutcome {
        code: 1,
        codespace: "sdk".into(),
        log: log.into(),
        ..Default::default()
    }
}

impl Abci for ChainClient {
    fn query(&self, path: &str, data: &[u8], height: u64) -> QueryOutcome {
        let (reply, answer) = mpsc::sync_channel(1);
        let request = Request::Query {
            path: path.to_string(),
            data: data.to_vec(),
            height,
            reply,
        };
        if self.tx.send(request).is_err() {
            return unavailable("the chain has stopped: internal");
        }
        answer
            .recv_timeout(QUERY_TIMEOUT)
            .unwrap_or_else(|_| unavailable("the chain did not answer in time: internal"))
    }

    fn check_tx(&self, tx: Vec<u8>) -> Result<TxOutcome, String> {
        let (reply, answer) = mpsc::sync_channel(1);
        if self.tx.send(Request::CheckTx { tx, reply }).is_err() {
            return Err("the chain has stopped".into());
        }
        answer
            .recv_timeout(QUERY_TIMEOUT)
            .unwrap_or_else(|_| Err("timed out waiting for the chain to check the tx".into()))
    }
}

impl Inbox {
    fn answer(chain: &mut Chain, request: Request) {
        // The asker may have given up; nothing to do then.
        match request {
            Request::Query {
                path,
                data,
                height,
                reply,
            } if path == SIMULATE_PATH && height == 0 => {
                let _ = reply.send(chain.simulate_query(&data));
            }
            Request::Query {
                path,
                data,
                height,
                reply,
            } => {
                let _ = reply.send(chain.abci_query(&path, &data, height));
            }
            Request::CheckTx { tx, reply } => {
                let _ = reply.send(chain.check_tx(tx).map_err(|e| e.to_string()));
            }
        }
    }

    /// Answers every request already waiting.
    pub fn serve_pending(&self, chain: &mut Chain) {
        while let Ok(request) = self.rx.try_recv() {
            Self::answer(chain, request);
        }
    }

    /// Answers requests as they come until `deadline`.
    pub fn serve_until(&self, chain: &mut Chain, deadline: Instant) {
        loop {
            let now = Instant::now();
            if now >= deadline {
                return;
            }
            match self.rx.recv_timeout(deadline - now) {
                Ok(request) => Self::answer(chain, request),
                Err(mpsc::RecvTimeoutError::Timeout) => return,
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    std::thread::sleep(deadline.saturating_duration_since(Instant::now()));
                    return;
                }
            }
        }
    }
}
