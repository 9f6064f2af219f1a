//! JSON-RPC 2.0 envelopes and errors as CometBFT writes them (`rpc/jsonrpc/types/types.go`), and
//! parameter decoding for both transports: JSON bodies (`jsonParamsToArgs`: named object or
//! positional array; int64 as string or number; `[]byte` as base64; `HexBytes` as hex) and URI
//! query strings (`httpParamsToArgs`: `height=3`, `query="tx.height=3"`, `hash=0xABCD`).

use std::collections::BTreeMap;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use serde::Serialize;
use serde_json::Value;

/// The id URI-style (GET) requests are answered with.
pub const URI_ID: &str = "-1";

/// A JSON-RPC error object (`RPCError`; `data` omitted when empty).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RpcError {
    /// JSON-RPC error code.
    pub code: i32,
    /// Fixed message for the code.
    pub message: &'static str,
    /// Details.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub data: String,
}

impl RpcError {
    /// -32700, an unparsable body.
    pub fn parse(data: impl Into<String>) -> Self {
        RpcError {
            code: -32700,
            message: "Parse error. Invalid JSON",
            data: data.into(),
        }
    }

    /// -32600, a malformed request object.
    pub fn invalid_request(data: impl Into<String>) -> Self {
        RpcError {
            code: -32600,
            message: "Invalid Request",
            data: data.into(),
        }
    }

    /// -32601, an unknown method.
    pub fn method_not_found() -> Self {
        RpcError {
            code: -32601,
            message: "Method not found",
            data: String::new(),
        }
    }

    /// -32602, params that do not convert to the method's arguments.
    pub fn invalid_params(data: impl Into<String>) -> Self {
        RpcError {
            code: -32602,
            message: "Invalid params",
            data: data.into(),
        }
    }

    /// -32603, the method itself failed (CometBFT's answer for every handler error).
    pub fn internal(data: impl Into<String>) -> Self {
        RpcError {
            code: -32603,
            message: "Internal error",
            data: data.into(),
        }
    }

    /// -32000, used for canceled subscriptions.
    pub fn server(data: impl Into<String>) -> Self {
        RpcError {
            code: -32000,
            message: "Server error",
            data: data.into(),
        }
    }
}

/// `{"jsonrpc":"2.0","id":<id>,"result":<result>}` from already-encoded JSON pieces.
pub fn success(id_json: &str, result_json: &str) -> String {
    format!(r#"{{"jsonrpc":"2.0","id":{id_json},"result":{result_json}}}"#)
}

/// `{"jsonrpc":"2.0","id":<id>,"error":{..}}`; `id_json` None omits the id (parse errors).
pub fn failure(id_json: Option<&str>, error: &RpcError) -> String {
    let error = serde_json::to_string(error).unwrap_or_else(|_| "{}".into());
    match id_json {
        Some(id) => format!(r#"{{"jsonrpc":"2.0","id":{id},"error":{error}}}"#),
        None => format!(r#"{{"jsonrpc":"2.0","error":{error}}}"#),
    }
}

/// One decoded JSON-RPC request.
#[derive(Clone, Debug)]
pub struct Request {
    /// The id, re-encoded as JSON (None for a notification).
    pub id_json: Option<String>,
    /// Method name.
    pub method: String,
    /// Parameters.
    pub params: Params,
}

/// Decodes one request object.
pub fn request(value: Value) -> Result<Request, (Option<String>, RpcError)> {
    let Value::Object(mut obj) = value else {
        return Err((None, RpcError::invalid_request("request is not an object")));
    };
    let id_json = match obj.remove("id") {
        None | Some(Value::Null) => None,
        Some(id @ (Value::String(_) | Value::Number(_))) => Some(id.to_string()),
        Some(other) => {
            return Err((
                None,
                RpcError::invalid_request(format!("invalid id {other}")),
            ))
        }
    };
    let method = match obj.remove("method") {
        Some(Value::String(m)) => m,
        _ => String::new(),
    };
    let params = match obj.remove("params") {
        None | Some(Value::Null) => Params::default(),
        Some(Value::Object(map)) => Params::json(map.into_iter().collect()),
        Some(Value::Array(list)) => Params::positional(list),
        Some(other) => {
            return Err((
                id_json,
                RpcError::invalid_params(format!("params must be an object or array, got {other}")),
            ))
        }
    };
    Ok(Request {
        id_json,
        method,
        params,
    })
}

/// One parameter value, JSON or a raw URI query string value.
#[derive(Clone, Debug, PartialEq)]
enum Raw {
    Json(Value),
    Uri(String),
}

/// A request's parameters by name (positional arrays are named by the method's argument list
/// when read, see [`Params::name_positional`]).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Params {
    named: BTreeMap<String, Raw>,
    positional: Vec<Value>,
}

fn bad(name: &str, why: impl std::fmt::Display) -> RpcError {
    RpcError::invalid_params(format!(
        "error converting json params to arguments: {name}: {why}"
    ))
}

impl Params {
    /// Named JSON params.
    pub fn json(map: BTreeMap<String, Value>) -> Self {
        Params {
            named: map.into_iter().map(|(k, v)| (k, Raw::Json(v))).collect(),
            positional: Vec::new(),
        }
    }

    /// Positional JSON params (named later by [`Params::name_positional`]).
    pub fn positional(list: Vec<Value>) -> Self {
        Params {
            named: BTreeMap::new(),
            positional: list,
        }
    }

    /// URI query-string params.
    pub fn uri(pairs: impl IntoIterator<Item = (String, String)>) -> Self {
        Params {
            named: pairs.into_iter().map(|(k, v)| (k, Raw::Uri(v))).collect(),
            positional: Vec::new(),
        }
    }

    /// Assigns positional params to the method's argument names, in order.
    pub fn name_positional(&mut self, names: &[&str]) -> Result<(), RpcError> {
        if self.positional.len() > names.len() {
            return Err(RpcError::invalid_params(format!(
                "error converting json params to arguments: expected {} parameters, got {}",
                names.len(),
                self.positional.len()
            )));
        }
        for (name, value) in names.iter().zip(self.positional.drain(..)) {
            self.named.insert((*name).to_string(), Raw::Json(value));
        }
        Ok(())
    }

    fn get(&self, name: &str) -> Option<&Raw> {
        match self.named.get(name) {
            Some(Raw::Json(Value::Null)) => None,
            Some(Raw::Uri(s)) if s.is_empty() => None,
            other => other,
        }
    }

    /// An int64 parameter: JSON number or decimal string; URI `3` or `"3"`.
    pub fn int(&self, name: &str) -> Result<Option<i64>, RpcError> {
        let text = match self.get(name) {
            None => return Ok(None),
            Some(Raw::Json(Value::Number(n))) => {
                return n
                    .as_i64()
                    .map(Some)
                    .ok_or_else(|| bad(name, "not an int64"))
            }
            Some(Raw::Json(Value::String(s))) => s.clone(),
            Some(Raw::Json(other)) => {
                return Err(bad(name, format!("expected int64, got {other}")))
            }
            Some(Raw::Uri(s)) => unquote(s).unwrap_or(s).to_string(),
        };
        text.trim()
            .parse::<i64>()
            .map(Some)
            .map_err(|e| bad(name, format!("{text:?}: {e}")))
    }

    /// A bool parameter (default false).
    pub fn boolean(&self, name: &str) -> Result<bool, RpcError> {
        match self.get(name) {
            None => Ok(false),
            Some(Raw::Json(Value::Bool(b))) => Ok(*b),
            Some(Raw::Json(Value::String(s)) | Raw::Uri(s)) => match unquote(s).unwrap_or(s) {
                "true" => Ok(true),
                "false" => Ok(false),
                other => Err(bad(name, format!("expected bool, got {other:?}"))),
            },
            Some(Raw::Json(other)) => Err(bad(name, format!("expected bool, got {other}"))),
        }
    }

    /// A string parameter: JSON string; URI `"quoted"`, `0x`-hex or (leniently) bare text.
    pub fn string(&self, name: &str) -> Result<Option<String>, RpcError> {
        match self.get(name) {
            None => Ok(None),
            Some(Raw::Json(Value::String(s))) => Ok(Some(s.clone())),
            Some(Raw::Json(other)) => Err(bad(name, format!("expected string, got {other}"))),
            Some(Raw::Uri(s)) => {
                if let Some(inner) = unquote(s) {
                    let decoded: String = serde_json::from_str(&format!("\"{inner}\""))
                        .unwrap_or_else(|_| inner.to_string());
                    Ok(Some(decoded))
                } else if let Some(hexed) = strip_0x(s) {
                    let bytes = hex::decode(hexed).map_err(|e| bad(name, e))?;
                    String::from_utf8(bytes).map(Some).map_err(|e| bad(name, e))
                } else {
                    Ok(Some(s.clone()))
                }
            }
        }
    }

    /// A `[]byte` parameter: base64 in JSON (64 hex chars also accepted); URI `0x`-hex or quoted.
    pub fn bytes_base64(&self, name: &str) -> Result<Option<Vec<u8>>, RpcError> {
        match self.get(name) {
            None => Ok(None),
            Some(Raw::Json(Value::String(s))) => {
                if s.len() == 64 && s.chars().all(|c| c.is_ascii_hexdigit()) {
                    return hex::decode(s).map(Some).map_err(|e| bad(name, e));
                }
                BASE64.decode(s).map(Some).map_err(|e| bad(name, e))
            }
            Some(Raw::Json(other)) => {
                Err(bad(name, format!("expected base64 string, got {other}")))
            }
            Some(Raw::Uri(s)) => uri_bytes(name, s),
        }
    }

    /// A `HexBytes` parameter: hex in JSON; URI `0x`-hex or quoted text.
    pub fn bytes_hex(&self, name: &str) -> Result<Option<Vec<u8>>, RpcError> {
        match self.get(name) {
            None => Ok(None),
            Some(Raw::Json(Value::String(s))) => hex::decode(strip_0x(s).unwrap_or(s))
                .map(Some)
                .map_err(|e| bad(name, e)),
            Some(Raw::Json(other)) => Err(bad(name, format!("expected hex string, got {other}"))),
            Some(Raw::Uri(s)) => uri_bytes(name, s),
        }
    }
}

fn unquote(s: &str) -> Option<&str> {
    s.strip_prefix('"').and_then(|s| s.strip_suffix('"'))
}

fn strip_0x(s: &str) -> Option<&str> {
    s.strip_prefix("0x").or_else(|| s.strip_prefix("0X"))
}

fn uri_bytes(name: &str, s: &str) -> Result<Option<Vec<u8>>, RpcError> {
    if let Some(hexed) = strip_0x(s) {
        return hex::decode(hexed).map(Some).map_err(|e| bad(name, e));
    }
    if let Some(inner) = unquote(s) {
        return Ok(Some(inner.as_bytes().to_vec()));
    }
    Err(bad(name, "expected 0x-prefixed hex or a quoted string"))
}
