//! Bech32 addresses and the module-account derivation the Cosmos SDK uses.

use anyhow::{anyhow, bail, Context as _};
use bech32::primitives::decode::CheckedHrpstring;
use bech32::{Bech32, Hrp};
use sha2::{Digest, Sha256};

/// Name of the governance module, whose account signs every proposal message.
pub const GOV_MODULE: &str = "gov";

/// Decodes a bech32 (not bech32m) address into its prefix and data bytes.
pub fn decode(address: &str) -> anyhow::Result<(String, Vec<u8>)> {
    // The SDK's `sdk.AccAddressFromBech32` accepts only classic bech32, so bech32m is refused here
    // too rather than producing an address the chain would reject.
    let checked = CheckedHrpstring::new::<Bech32>(address)
        .map_err(|e| anyhow!("`{address}` is not a bech32 address: {e}"))?;
    let bytes: Vec<u8> = checked.byte_iter().collect();
    if bytes.is_empty() || bytes.len() > 255 {
        bail!(
            "`{address}`: address data must be 1 to 255 bytes, got {}",
            bytes.len()
        );
    }
    Ok((checked.hrp().to_string(), bytes))
}

/// Encodes `data` as a lower-case bech32 address with `prefix`.
pub fn encode(prefix: &str, data: &[u8]) -> anyhow::Result<String> {
    let hrp = Hrp::parse(prefix).map_err(|e| anyhow!("invalid bech32 prefix `{prefix}`: {e}"))?;
    bech32::encode::<Bech32>(hrp, data).with_context(|| format!("bech32-encoding for `{prefix}`"))
}

/// Checks that `address` is bech32 with exactly `prefix` and returns its data bytes.
pub fn validate(address: &str, prefix: &str) -> anyhow::Result<Vec<u8>> {
    let (hrp, bytes) = decode(address)?;
    if hrp != prefix {
        bail!("`{address}` has prefix `{hrp}`, expected `{prefix}`");
    }
    // Re-encoding catches upper-case input, which the chain stores lower-case and would compare
    // unequal to what we write.
    let canonical = encode(prefix, &bytes)?;
    if canonical != address {
        bail!("`{address}` is not in canonical lower-case form (`{canonical}`)");
    }
    Ok(bytes)
}

/// The account address of module `name` (`authtypes.NewModuleAddress`: sha256(name)[..20]).
pub fn module_address(prefix: &str, name: &str) -> anyhow::Result<String> {
    let hash = Sha256::digest(name.as_bytes());
    encode(prefix, &hash[..20])
}

/// The gov module account for `prefix`: the authority every proposal message is sent as.
pub fn gov_address(prefix: &str) -> anyhow::Result<String> {
    module_address(prefix, GOV_MODULE)
}
