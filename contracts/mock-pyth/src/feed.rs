//! Feed ids as both execute and query read them.

use crate::error::ContractError;

/// Normalises a feed id to 64 lowercase hex digits (as Pyth serializes it), accepting an
/// optional `0x` prefix and any case.
pub fn normalize_feed_id(id: &str) -> Result<String, ContractError> {
    let hex = id
        .strip_prefix("0x")
        .or_else(|| id.strip_prefix("0X"))
        .unwrap_or(id);
    if hex.len() != 64 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(ContractError::InvalidFeedId { id: id.to_string() });
    }
    Ok(hex.to_ascii_lowercase())
}
