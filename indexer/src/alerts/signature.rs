//! Webhook signatures: `Supercloud-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>` where the
//! MAC is over `<t>.<body>` keyed by the alert's secret. A receiver recomputes it, compares in
//! constant time and refuses timestamps far from its clock, so a captured request cannot be
//! replayed later.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The header carrying the signature.
pub const HEADER: &str = "Supercloud-Signature";

/// The header carrying the delivery id (receivers dedupe by it).
pub const DELIVERY_HEADER: &str = "Supercloud-Delivery";

type HmacSha256 = Hmac<Sha256>;

/// The MAC over `<timestamp>.<body>` (`None` only if the key were refused, which HMAC never does:
/// it takes keys of any length).
fn mac(secret: &str, timestamp: i64, body: &[u8]) -> Option<HmacSha256> {
    let mut mac = HmacSha256::new_from_slice(secret.as_bytes()).ok()?;
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    Some(mac)
}

/// The header value signing `body` at `timestamp`.
pub fn sign(secret: &str, timestamp: i64, body: &[u8]) -> Option<String> {
    let tag = mac(secret, timestamp, body)?.finalize().into_bytes();
    Some(format!("t={timestamp},v1={}", hex::encode(tag)))
}

/// Why a signature does not verify.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("malformed signature header")]
    Malformed,
    #[error("timestamp {0} is outside the tolerance")]
    Stale(i64),
    #[error("signature does not match")]
    Mismatch,
}

/// Verifies a header value against `body`, accepting timestamps within `tolerance_s` of `now`.
pub fn verify(
    secret: &str,
    header: &str,
    body: &[u8],
    now: i64,
    tolerance_s: i64,
) -> Result<(), SignatureError> {
    let mut t = None;
    let mut v1 = None;
    for part in header.split(',') {
        match part.split_once('=') {
            Some(("t", v)) => t = v.parse::<i64>().ok(),
            Some(("v1", v)) => v1 = hex::decode(v).ok(),
            _ => {}
        }
    }
    let (Some(t), Some(v1)) = (t, v1) else {
        return Err(SignatureError::Malformed);
    };
    if (now - t).abs() > tolerance_s {
        return Err(SignatureError::Stale(t));
    }
    mac(secret, t, body)
        .ok_or(SignatureError::Mismatch)?
        .verify_slice(&v1)
        .map_err(|_| SignatureError::Mismatch)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_and_any_change_breaks_it() {
        let body = br#"{"deliveryId":"7-120-triggered"}"#;
        let h = sign("s3cret", 1_700_000_000, body).unwrap();
        assert!(h.starts_with("t=1700000000,v1="));
        assert_eq!(verify("s3cret", &h, body, 1_700_000_010, 300), Ok(()));
        assert_eq!(
            verify("other", &h, body, 1_700_000_010, 300),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify(
                "s3cret",
                &h,
                br#"{"deliveryId":"7-121-triggered"}"#,
                1_700_000_010,
                300
            ),
            Err(SignatureError::Mismatch)
        );
        assert_eq!(
            verify("s3cret", &h, body, 1_700_000_400, 300),
            Err(SignatureError::Stale(1_700_000_000))
        );
        assert_eq!(
            verify("s3cret", "v1=00", body, 0, 300),
            Err(SignatureError::Malformed)
        );
        // An independent HMAC-SHA256 (RFC 4231 test case 2) through the same primitive.
        let mut m = HmacSha256::new_from_slice(b"Jefe").unwrap();
        m.update(b"what do ya want for nothing?");
        assert_eq!(
            hex::encode(m.finalize().into_bytes()),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
