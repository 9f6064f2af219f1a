//! Shared fixtures for the `rpc_*` integration tests: synthetic wasmd-shaped blocks, a fake
//! `Abci`, a spawned server, and minimal raw HTTP / websocket clients (so raw wire JSON can be
//! asserted without extra dependencies).

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use devnet::node::{
    Abci, AbciEvent, Attribute, ExecutedBlock, ExecutedTx, QueryOutcome, TxOutcome,
};
use devnet::node::{BlockStore, StoreConfig};
use devnet::rpc::{spawn, FaultConfig, Faults};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::task::JoinHandle;

pub const CHAIN_ID: &str = "akash-devnet-1";
pub const ESCROW: &str = "akash14hj2tavq8fpesdwxxcu44rty3hh90vhujrvcmstl4zr3txmfvw9s4hmalr";
pub const ORACLE: &str = "akash1nc5tatafv6eyq7llkr2gv50ff9e22mnf70qgjlv737ktmt4eswrqhywrts";
pub const SENDER: &str = "akash1qyqszqgpqyqszqgpqyqszqgpqyqszqgpjnp7du";
/// Block time of height 1 (nanoseconds since the epoch); later heights add 5 s each.
pub const T0: u128 = 1_767_225_600_000_000_000; // 2026-01-01T00:00:00Z

/// The app answers every query with `path` as key and `"value:" + data` as value.
pub struct FakeAbci;

impl Abci for FakeAbci {
    fn query(&self, path: &str, data: &[u8], height: u64) -> QueryOutcome {
        if path == "/fail" {
            return QueryOutcome {
                code: 18,
                codespace: "sdk".into(),
                log: "invalid request".into(),
                ..QueryOutcome::default()
            };
        }
        let mut value = b"value:".to_vec();
        value.extend_from_slice(data);
        QueryOutcome {
            key: path.as_bytes().to_vec(),
            value,
            height,
            ..QueryOutcome::default()
        }
    }

    fn check_tx(&self, tx: Vec<u8>) -> Result<devnet::node::TxOutcome, String> {
        // Admits anything but an empty tx (the RPC tests check the broadcast shapes).
        if tx.is_empty() {
            return Err("tx too large. Max size is 0".into());
        }
        Ok(devnet::node::TxOutcome::default())
    }
}

fn ev(kind: &str, attrs: &[(&str, &str)]) -> AbciEvent {
    AbciEvent::new(kind, attrs.iter().map(|(k, v)| (*k, *v)))
}

fn with_msg_index(mut e: AbciEvent) -> AbciEvent {
    e.attributes.push(Attribute {
        key: "msg_index".into(),
        value: "0".into(),
        index: true,
    });
    e
}

/// Ante events every tx carries (also the only events of a failed tx).
fn ante_events() -> Vec<AbciEvent> {
    vec![
        ev("tx", &[("fee", "5000uakt"), ("fee_payer", SENDER)]),
        ev("tx", &[("acc_seq", &format!("{SENDER}/7"))]),
    ]
}

/// A successful `MsgExecuteContract` on `contract` emitting `wasm-escrow.deposited`.
pub fn execute_tx(seed: &str, contract: &str, amount: &str) -> ExecutedTx {
    let mut events = ante_events();
    events.extend(
        [
            ev(
                "message",
                &[
                    ("action", "/cosmwasm.wasm.v1.MsgExecuteContract"),
                    ("sender", SENDER),
                    ("module", "wasm"),
                ],
            ),
            ev("execute", &[("_contract_address", contract)]),
            ev(
                "wasm",
                &[("_contract_address", contract), ("action", "deposit")],
            ),
            ev(
                "wasm-escrow",
                &[
                    ("_contract_address", contract),
                    ("deposited", amount),
                    ("lease", "lease-1"),
                ],
            ),
        ]
        .into_iter()
        .map(with_msg_index),
    );
    ExecutedTx {
        bytes: format!("TxRaw:{seed}").into_bytes(),
        outcome: TxOutcome {
            code: 0,
            codespace: String::new(),
            log: String::new(),
            // TxMsgData{msg_responses:[Any{..}]}-like bytes; base64 "EiYKJA==".
            data: vec![0x12, 0x26, 0x0a, 0x24],
            gas_wanted: 200_000,
            gas_used: 123_456,
            events,
        },
    }
}

/// A failed tx: code 5 (insufficient funds), ante events only, no data.
pub fn failed_tx(seed: &str) -> ExecutedTx {
    ExecutedTx {
        bytes: format!("TxRaw:{seed}").into_bytes(),
        outcome: TxOutcome {
            code: 5,
            codespace: "sdk".into(),
            log: "spendable balance 1uakt is smaller than 5000uakt: insufficient funds".into(),
            data: Vec::new(),
            gas_wanted: 200_000,
            gas_used: 45_000,
            events: ante_events(),
        },
    }
}

fn finalize_events(height: u64) -> Vec<AbciEvent> {
    let h = height.to_string();
    vec![
        ev(
            "coin_received",
            &[
                ("receiver", SENDER),
                ("amount", "10uakt"),
                ("mode", "BeginBlock"),
            ],
        ),
        ev("mint", &[("height", &h), ("mode", "BeginBlock")]),
        ev("oracle_keeper", &[("height", &h), ("mode", "EndBlock")]),
    ]
}

/// Deterministic app hash after `height`.
pub fn app_hash(height: u64) -> [u8; 32] {
    Sha256::digest(format!("app-state-{height}")).into()
}

/// A block at `height` with `txs`.
pub fn block(height: u64, txs: Vec<ExecutedTx>) -> ExecutedBlock {
    ExecutedBlock {
        height,
        time_unix_nanos: T0 + u128::from(height - 1) * 5_000_000_000 + 120_000,
        txs,
        finalize_block_events: finalize_events(height),
        app_hash: app_hash(height),
    }
}

/// Heights 1..=4: empty, two txs (one failed, code 5), one tx on another contract, empty.
pub fn fixture_blocks() -> Vec<ExecutedBlock> {
    let mut b4 = block(4, Vec::new());
    b4.finalize_block_events.clear();
    vec![
        block(1, Vec::new()),
        block(
            2,
            vec![execute_tx("2-0", ESCROW, "100uakt"), failed_tx("2-1")],
        ),
        block(3, vec![execute_tx("3-0", ORACLE, "7uakt")]),
        b4,
    ]
}

/// sha256 of tx bytes, uppercase hex.
pub fn tx_hash_hex(bytes: &[u8]) -> String {
    hex::encode_upper(Sha256::digest(bytes))
}

/// A running server over a store fed with [`fixture_blocks`].
pub struct Devnet {
    pub addr: SocketAddr,
    pub store: Arc<BlockStore>,
    pub faults: Arc<Faults>,
    pub server: JoinHandle<anyhow::Result<()>>,
}

impl Devnet {
    /// Starts a server with the fixture blocks already pushed.
    pub async fn start() -> Devnet {
        Devnet::start_with(StoreConfig::new(CHAIN_ID), FaultConfig::default(), true).await
    }

    /// Starts a server with explicit settings.
    pub async fn start_with(config: StoreConfig, faults: FaultConfig, fill: bool) -> Devnet {
        let store = BlockStore::new(config).expect("store");
        if fill {
            for b in fixture_blocks() {
                store.push(b).expect("push");
            }
        }
        let faults = Arc::new(Faults::new(faults));
        let (addr, server) = spawn(
            "127.0.0.1:0",
            store.clone(),
            Arc::new(FakeAbci),
            faults.clone(),
        )
        .await
        .expect("spawn");
        Devnet {
            addr,
            store,
            faults,
            server,
        }
    }

    /// `http://addr`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `ws://addr/websocket`.
    pub fn ws_url(&self) -> String {
        format!("ws://{}/websocket", self.addr)
    }

    /// Pushes the next block (height = latest + 1) with `txs`.
    pub fn push_next(&self, txs: Vec<ExecutedTx>) -> u64 {
        let h = self.store.latest_height() + 1;
        self.store.push(block(h, txs)).expect("push");
        h
    }
}

impl Drop for Devnet {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// A raw HTTP answer.
pub struct HttpReply {
    pub status: u16,
    pub headers: String,
    pub body: String,
}

impl HttpReply {
    /// The body as JSON (panics with the body if it is not).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

async fn http(addr: SocketAddr, request: String) -> HttpReply {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).await.expect("read");
    let text = String::from_utf8_lossy(&raw).to_string();
    let (head, body) = text.split_once("\r\n\r\n").expect("http head");
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status");
    let body = if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        dechunk(body)
    } else {
        body.to_string()
    };
    HttpReply {
        status,
        headers: head.to_string(),
        body,
    }
}

fn dechunk(mut body: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = body.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        body = rest[n..].trim_start_matches("\r\n");
    }
    out
}

/// `GET path` (path includes the query string).
pub async fn http_get(addr: SocketAddr, path: &str) -> HttpReply {
    http(
        addr,
        format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"),
    )
    .await
}

/// `POST /` with a JSON body.
pub async fn http_post(addr: SocketAddr, body: &str) -> HttpReply {
    http(
        addr,
        format!(
            "POST / HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    )
    .await
}

/// JSON-RPC `method` with `params` over `POST /`; returns the whole envelope.
pub async fn rpc(addr: SocketAddr, method: &str, params: serde_json::Value) -> serde_json::Value {
    let body = serde_json::json!({"jsonrpc":"2.0","id":7,"method":method,"params":params});
    http_post(addr, &body.to_string()).await.json()
}

/// A minimal websocket client (text frames only) for raw-frame assertions.
pub struct RawWs {
    stream: TcpStream,
    buf: Vec<u8>,
}

/// What [`RawWs::recv`] saw.
#[derive(Debug, PartialEq)]
pub enum WsEvent {
    Text(String),
    Closed,
    Timeout,
}

impl RawWs {
    /// Connects and performs the upgrade handshake.
    pub async fn connect(addr: SocketAddr) -> RawWs {
        let mut stream = TcpStream::connect(addr).await.expect("connect");
        let req = format!(
            "GET /websocket HTTP/1.1\r\nHost: {addr}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        );
        stream.write_all(req.as_bytes()).await.expect("write");
        let mut buf = Vec::new();
        let mut chunk = [0u8; 1024];
        loop {
            let n = stream.read(&mut chunk).await.expect("read");
            assert!(n > 0, "closed during handshake");
            buf.extend_from_slice(&chunk[..n]);
            if let Some(pos) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&buf[..pos]).to_string();
                assert!(head.starts_with("HTTP/1.1 101"), "{head}");
                buf.drain(..pos + 4);
                break;
            }
        }
        RawWs { stream, buf }
    }

    /// Sends a masked text frame.
    pub async fn send(&mut self, text: &str) {
        let payload = text.as_bytes();
        let mut frame = vec![0x81u8];
        match payload.len() {
            n if n < 126 => frame.push(0x80 | n as u8),
            n if n < 65_536 => {
                frame.push(0x80 | 126);
                frame.extend_from_slice(&(n as u16).to_be_bytes());
            }
            n => {
                frame.push(0x80 | 127);
                frame.extend_from_slice(&(n as u64).to_be_bytes());
            }
        }
        let mask = [0x12u8, 0x34, 0x56, 0x78];
        frame.extend_from_slice(&mask);
        frame.extend(payload.iter().enumerate().map(|(i, b)| b ^ mask[i % 4]));
        self.stream.write_all(&frame).await.expect("ws write");
    }

    fn take_frame(&mut self) -> Option<(u8, Vec<u8>)> {
        if self.buf.len() < 2 {
            return None;
        }
        let opcode = self.buf[0] & 0x0f;
        let (len, offset) = match self.buf[1] & 0x7f {
            126 if self.buf.len() >= 4 => {
                (u16::from_be_bytes([self.buf[2], self.buf[3]]) as usize, 4)
            }
            127 if self.buf.len() >= 10 => {
                let mut b = [0u8; 8];
                b.copy_from_slice(&self.buf[2..10]);
                (u64::from_be_bytes(b) as usize, 10)
            }
            126 | 127 => return None,
            n => (n as usize, 2),
        };
        if self.buf.len() < offset + len {
            return None;
        }
        let payload = self.buf[offset..offset + len].to_vec();
        self.buf.drain(..offset + len);
        Some((opcode, payload))
    }

    /// Sends a masked ping frame with `payload`.
    pub async fn ping(&mut self, payload: &[u8]) {
        let mask = [1u8, 2, 3, 4];
        let mut frame = vec![0x89u8, 0x80 | payload.len() as u8];
        frame.extend_from_slice(&mask);
        frame.extend(payload.iter().enumerate().map(|(i, b)| b ^ mask[i % 4]));
        self.stream.write_all(&frame).await.expect("ws write");
    }

    /// Next frame of any kind as (opcode, payload); None on close or timeout.
    pub async fn recv_frame(&mut self, timeout: Duration) -> Option<(u8, Vec<u8>)> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            if let Some(frame) = self.take_frame() {
                return Some(frame);
            }
            let mut chunk = [0u8; 65_536];
            match tokio::time::timeout_at(deadline, self.stream.read(&mut chunk)).await {
                Err(_) | Ok(Ok(0)) | Ok(Err(_)) => return None,
                Ok(Ok(n)) => self.buf.extend_from_slice(&chunk[..n]),
            }
        }
    }

    /// Next text frame, a close, or a timeout.
    pub async fn recv(&mut self, timeout: Duration) -> WsEvent {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            while let Some((opcode, payload)) = self.take_frame() {
                match opcode {
                    1 => return WsEvent::Text(String::from_utf8_lossy(&payload).to_string()),
                    8 => return WsEvent::Closed,
                    _ => {}
                }
            }
            let mut chunk = [0u8; 65_536];
            match tokio::time::timeout_at(deadline, self.stream.read(&mut chunk)).await {
                Err(_) => return WsEvent::Timeout,
                Ok(Ok(0)) | Ok(Err(_)) => return WsEvent::Closed,
                Ok(Ok(n)) => self.buf.extend_from_slice(&chunk[..n]),
            }
        }
    }

    /// Next text frame parsed as JSON (panics otherwise).
    pub async fn recv_json(&mut self) -> serde_json::Value {
        match self.recv(Duration::from_secs(5)).await {
            WsEvent::Text(t) => serde_json::from_str(&t).expect("ws json"),
            other => panic!("expected a text frame, got {other:?}"),
        }
    }
}
