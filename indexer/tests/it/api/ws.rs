//! A minimal graphql-transport-ws client over a raw TCP stream (RFC 6455 text frames, masked as
//! a client must), so the tests speak to `/graphql/ws` as a browser would without a websocket
//! crate among the dependencies.

use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A connected, acknowledged graphql-transport-ws session.
pub struct Ws {
    stream: TcpStream,
}

impl Ws {
    /// Connects to `base` (`http://host:port`) at `/graphql/ws` and completes `connection_init`.
    pub async fn connect(base: &str) -> Ws {
        let host = base.trim_start_matches("http://");
        let mut stream = TcpStream::connect(host).await.unwrap();
        let request = format!(
            "GET /graphql/ws HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\n\
             Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\
             Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n"
        );
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut head = Vec::new();
        while !head.ends_with(b"\r\n\r\n") {
            head.push(stream.read_u8().await.unwrap());
        }
        let head = String::from_utf8_lossy(&head).to_string();
        assert!(head.starts_with("HTTP/1.1 101"), "{head}");
        // RFC 6455 §1.3's example key has this accept value.
        assert!(
            head.to_ascii_lowercase()
                .contains("sec-websocket-accept: s3pplmbitxaq9kygzzhzrbk+xoo="),
            "{head}"
        );
        let mut ws = Ws { stream };
        ws.send(&json!({ "type": "connection_init", "payload": {} }))
            .await;
        let ack = ws.next().await;
        assert_eq!(ack["type"], "connection_ack", "{ack}");
        ws
    }

    /// Starts subscription `id` with `query`.
    pub async fn subscribe(&mut self, id: &str, query: &str) {
        self.send(&json!({ "id": id, "type": "subscribe", "payload": { "query": query } }))
            .await;
    }

    /// Sends one JSON message as a masked text frame.
    pub async fn send(&mut self, message: &Value) {
        self.frame(0x1, message.to_string().as_bytes()).await;
    }

    async fn frame(&mut self, opcode: u8, payload: &[u8]) {
        let mask: [u8; 4] = rand::random();
        let mut out = vec![0x80 | opcode];
        match payload.len() {
            n if n < 126 => out.push(0x80 | n as u8),
            n if n <= u16::MAX as usize => {
                out.push(0x80 | 126);
                out.extend((n as u16).to_be_bytes());
            }
            n => {
                out.push(0x80 | 127);
                out.extend((n as u64).to_be_bytes());
            }
        }
        out.extend(mask);
        out.extend(payload.iter().enumerate().map(|(i, b)| b ^ mask[i % 4]));
        self.stream.write_all(&out).await.unwrap();
    }

    /// The next JSON message (answers pings, both websocket and graphql-transport-ws ones).
    pub async fn next(&mut self) -> Value {
        let mut message = Vec::new();
        loop {
            let b0 = self.stream.read_u8().await.unwrap();
            let b1 = self.stream.read_u8().await.unwrap();
            let len = match b1 & 0x7F {
                126 => u64::from(self.stream.read_u16().await.unwrap()),
                127 => self.stream.read_u64().await.unwrap(),
                n => u64::from(n),
            };
            let mask = if b1 & 0x80 != 0 {
                let mut m = [0u8; 4];
                self.stream.read_exact(&mut m).await.unwrap();
                Some(m)
            } else {
                None
            };
            let mut payload = vec![0u8; len as usize];
            self.stream.read_exact(&mut payload).await.unwrap();
            if let Some(m) = mask {
                payload
                    .iter_mut()
                    .enumerate()
                    .for_each(|(i, b)| *b ^= m[i % 4]);
            }
            match b0 & 0x0F {
                0x9 => self.frame(0xA, &payload).await,
                0x8 => panic!("the server closed the websocket: {payload:?}"),
                0x0..=0x2 => {
                    message.extend(payload);
                    if b0 & 0x80 != 0 {
                        let v: Value = serde_json::from_slice(&message).unwrap();
                        if v["type"] == "ping" {
                            self.send(&json!({ "type": "pong" })).await;
                            message.clear();
                            continue;
                        }
                        return v;
                    }
                }
                _ => {}
            }
        }
    }
}
