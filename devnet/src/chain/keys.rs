//! Account keys (issue 19): BIP-39 mnemonic, BIP-44 derivation, secp256k1 SIGN_MODE_DIRECT.
//!
//! Everything here follows what a Cosmos SDK chain and its wallets (CosmJS, Keplr) do, so a dapp
//! given the devnet's mnemonic signs with the same keys and addresses the devnet checks:
//! * a [`Wallet`] is an English BIP-39 mnemonic with an empty passphrase; account `n` is the
//!   BIP-32 key at `m/44'/118'/0'/0/n` (the Cosmos Hub path CosmJS's `makeCosmoshubPath(n)` gives);
//! * an address is `ripemd160(sha256(compressed public key))`;
//! * a signature is ECDSA over `sha256(sign doc)` with an RFC 6979 nonce, low-S, `r ‖ s`; high-S
//!   signatures are refused, as the SDK's `secp256k1.PubKey.VerifySignature` does.
//!
//! The crates doing the work: `bip39` (phrases), `bip32` (derivation), `k256` (ECDSA), `ripemd`.

use std::fmt;

use anyhow::Context;
use bip32::{ChildNumber, XPrv};
use bip39::{Language, Mnemonic};
use k256::ecdsa::signature::{Signer, Verifier};
use k256::ecdsa::{Signature, SigningKey, VerifyingKey};
use prost::Message;
use ripemd::Ripemd160;
use sha2::{Digest, Sha256};

use crate::proto::{Any, Named};

/// Type URL of a secp256k1 public key inside an `Any` (a signer info's `public_key`).
pub const PUBKEY_TYPE_URL: &str = "/cosmos.crypto.secp256k1.PubKey";

/// Domain separator of the entropy behind [`Wallet::from_seed`].
const SEED_DOMAIN: &[u8] = b"supercloud-devnet/mnemonic";

/// BIP-44 purpose and SLIP-44 coin type of the Cosmos Hub path (`m/44'/118'/0'/0/n`).
const PURPOSE: u32 = 44;
/// Coin type 118 (ATOM), which Akash keeps, as CosmJS's `makeCosmoshubPath` does.
const COIN_TYPE: u32 = 118;

/// A BIP-39 mnemonic and its BIP-32 key at `m/44'/118'/0'/0`, the parent of every account key.
#[derive(Clone)]
pub struct Wallet {
    /// The words, separated by single spaces.
    phrase: String,
    /// `m/44'/118'/0'/0`: kept so each account key costs one (non-hardened) child derivation
    /// rather than PBKDF2 and five derivations from the seed.
    parent: XPrv,
}

impl Wallet {
    /// The wallet of an English BIP-39 phrase (12 to 24 words, checksum checked; runs of
    /// whitespace are taken as one space) with an empty passphrase, as CosmJS's
    /// `DirectSecp256k1HdWallet.fromMnemonic` without a `bip39Password`.
    pub fn from_phrase(phrase: &str) -> anyhow::Result<Wallet> {
        let words = phrase.split_whitespace().collect::<Vec<_>>().join(" ");
        let mnemonic = Mnemonic::parse_in_normalized(Language::English, &words)
            .map_err(|e| anyhow::anyhow!("not a BIP-39 English mnemonic: {e}"))?;
        Wallet::from_mnemonic(&mnemonic)
    }

    /// The devnet's deterministic wallet for `seed`: 24 words whose entropy is
    /// sha256("supercloud-devnet/mnemonic" ‖ seed as 8 bytes big-endian). Same seed, same words.
    ///
    /// Fallible only in theory: BIP-32 derivation fails with probability below 2^-127 per
    /// step, and that is reported rather than papered over.
    pub fn from_seed(seed: u64) -> anyhow::Result<Wallet> {
        let mut h = Sha256::new();
        h.update(SEED_DOMAIN);
        h.update(seed.to_be_bytes());
        let entropy = h.finalize();
        let mnemonic = Mnemonic::from_entropy_in(Language::English, &entropy[..])
            .map_err(|e| anyhow::anyhow!("mnemonic from 32 bytes of entropy: {e}"))?;
        Wallet::from_mnemonic(&mnemonic)
    }

    /// Derives `m/44'/118'/0'/0` from the mnemonic's seed.
    fn from_mnemonic(mnemonic: &Mnemonic) -> anyhow::Result<Wallet> {
        let seed = mnemonic.to_seed_normalized("");
        let mut key = XPrv::new(seed).context("BIP-32 master key")?;
        for (index, hardened) in [(PURPOSE, true), (COIN_TYPE, true), (0, true), (0, false)] {
            let child = ChildNumber::new(index, hardened).context("BIP-44 path element")?;
            key = key
                .derive_child(child)
                .with_context(|| format!("BIP-32 derivation of {child}"))?;
        }
        Ok(Wallet {
            phrase: mnemonic.to_string(),
            parent: key,
        })
    }

    /// The words, separated by single spaces (what a wallet imports).
    pub fn phrase(&self) -> &str {
        &self.phrase
    }

    /// The key at `m/44'/118'/0'/0/index`; `index` must be below 2^31 (non-hardened).
    pub fn key(&self, index: u32) -> anyhow::Result<Key> {
        let child = ChildNumber::new(index, false)
            .with_context(|| format!("account index {index} is not below 2^31"))?;
        let xprv = self
            .parent
            .derive_child(child)
            .with_context(|| format!("BIP-32 derivation of account {index}"))?;
        Ok(Key::new(xprv.private_key().clone()))
    }
}

impl fmt::Debug for Wallet {
    /// The word count only: the phrase is the secret of every account.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Wallet")
            .field("words", &self.phrase.split(' ').count())
            .finish_non_exhaustive()
    }
}

/// An account's secp256k1 key pair.
#[derive(Clone)]
pub struct Key {
    /// The secret scalar.
    signing: SigningKey,
    /// Its compressed SEC1 public key (computed once: deriving it is a scalar multiplication).
    public: [u8; 33],
}

impl Key {
    /// The pair of `signing`.
    fn new(signing: SigningKey) -> Key {
        let mut public = [0u8; 33];
        // A compressed point is always 33 bytes (tag and x).
        public.copy_from_slice(signing.verifying_key().to_encoded_point(true).as_bytes());
        Key { signing, public }
    }

    /// The compressed SEC1 public key (33 bytes).
    pub fn public_key(&self) -> [u8; 33] {
        self.public
    }

    /// The 20 address bytes: ripemd160(sha256(public key)), as the SDK's secp256k1 `Address()`.
    pub fn raw_address(&self) -> [u8; 20] {
        raw_address(&self.public)
    }

    /// The SIGN_MODE_DIRECT signature of `sign_doc` (the bytes of [`sign_doc`]): ECDSA over
    /// sha256(sign_doc) with an RFC 6979 nonce, low-S, as `r ‖ s`.
    pub fn sign(&self, sign_doc: &[u8]) -> [u8; 64] {
        let mut out = [0u8; 64];
        // `try_sign` fails only if the RFC 6979 nonce gives r = 0 or s = 0 (probability about
        // 2^-256). Then the all-zero signature is returned: `verify` refuses it, so the tx is
        // rejected with an ordinary error instead of the chain thread panicking.
        if let Ok(signature) = Signer::<Signature>::try_sign(&self.signing, sign_doc) {
            // k256 already normalizes; normalizing again keeps low-S a property of this function.
            let signature = signature.normalize_s().unwrap_or(signature);
            out.copy_from_slice(&signature.to_bytes());
        }
        out
    }
}

impl fmt::Debug for Key {
    /// The public key only, never the secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Key")
            .field("public_key", &hex::encode(self.public))
            .finish_non_exhaustive()
    }
}

/// The 20 address bytes of a compressed secp256k1 public key: ripemd160(sha256(key)).
pub fn raw_address(public_key: &[u8; 33]) -> [u8; 20] {
    Ripemd160::digest(Sha256::digest(public_key)).into()
}

/// Whether `signature` (64 bytes, `r ‖ s`) is `public_key`'s (33 bytes, compressed) ECDSA
/// signature of sha256(`sign_doc`). False for a malformed key or signature and for a high-S
/// signature, as the SDK's `secp256k1.PubKey.VerifySignature`.
pub fn verify(public_key: &[u8], sign_doc: &[u8], signature: &[u8]) -> bool {
    // The SDK's secp256k1 keys are compressed only; k256 would also take 65-byte keys.
    if public_key.len() != 33 || signature.len() != 64 {
        return false;
    }
    let Ok(key) = VerifyingKey::from_sec1_bytes(public_key) else {
        return false;
    };
    // Refuses r or s of zero or not below the group order.
    let Ok(signature) = Signature::from_slice(signature) else {
        return false;
    };
    // Malleability: the SDK accepts only the low-S form (k256's verifier refuses high-S too;
    // checking here keeps the rule visible and independent of that).
    if signature.normalize_s().is_some() {
        return false;
    }
    key.verify(sign_doc, &signature).is_ok()
}

/// `cosmos.tx.v1beta1.SignDoc`: what SIGN_MODE_DIRECT signs.
#[derive(Clone, PartialEq, ::prost::Message)]
struct SignDoc {
    /// `TxRaw.body_bytes`, as sent.
    #[prost(bytes = "vec", tag = "1")]
    body_bytes: Vec<u8>,
    /// `TxRaw.auth_info_bytes`, as sent.
    #[prost(bytes = "vec", tag = "2")]
    auth_info_bytes: Vec<u8>,
    /// The chain id (binds the signature to one chain).
    #[prost(string, tag = "3")]
    chain_id: String,
    /// The signer's account number (binds it to one account).
    #[prost(uint64, tag = "4")]
    account_number: u64,
}

/// The bytes SIGN_MODE_DIRECT signs: the protobuf `cosmos.tx.v1beta1.SignDoc` of a tx's body
/// and auth info bytes (exactly as in the `TxRaw`), the chain id and the account number.
pub fn sign_doc(
    body_bytes: &[u8],
    auth_info_bytes: &[u8],
    chain_id: &str,
    account_number: u64,
) -> Vec<u8> {
    SignDoc {
        body_bytes: body_bytes.to_vec(),
        auth_info_bytes: auth_info_bytes.to_vec(),
        chain_id: chain_id.to_string(),
        account_number,
    }
    .encode_to_vec()
}

/// `cosmos.crypto.secp256k1.PubKey`.
#[derive(Clone, PartialEq, ::prost::Message)]
struct PubKey {
    /// Compressed SEC1 point.
    #[prost(bytes = "vec", tag = "1")]
    key: Vec<u8>,
}

impl Named for PubKey {
    const TYPE_URL: &'static str = PUBKEY_TYPE_URL;
}

/// `public_key` packed as a signer info carries it (`/cosmos.crypto.secp256k1.PubKey`).
pub fn pubkey_any(public_key: &[u8; 33]) -> Any {
    PubKey {
        key: public_key.to_vec(),
    }
    .to_any()
}

/// The compressed key inside a `/cosmos.crypto.secp256k1.PubKey` `Any`. Errors on another
/// type, bytes that do not decode, or a key that is not 33 bytes. Whether the bytes are a
/// point on the curve is left to [`verify`] (false then), as in the SDK, where such a key
/// fails signature verification rather than decoding.
pub fn pubkey_from_any(any: &Any) -> anyhow::Result<[u8; 33]> {
    let key = any.unpack::<PubKey>()?.key;
    let len = key.len();
    key.try_into()
        .map_err(|_| anyhow::anyhow!("a secp256k1 public key has 33 bytes, not {len}"))
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;

    // Vectors from CosmJS (devnet/js/node_modules: @cosmjs/proto-signing 0.38.1
    // `DirectSecp256k1HdWallet.fromMnemonic(m, { prefix: "akash", hdPaths: [0, 1, 7].map(
    // makeCosmoshubPath) })`, `getAccounts()` and `signDirect`, @cosmjs/crypto 0.39.0 `Bip39`),
    // printed by a throwaway node script; nothing below was computed by this crate.
    // SEED_1_PHRASE is `Bip39.encode(sha256("supercloud-devnet/mnemonic" ‖ u64be(1)))`.

    /// `Wallet::from_seed(1)` (the devnet's default seed) by CosmJS.
    const SEED_1_PHRASE: &str = "frame unknown page lucky hire leisure love benefit lion trap \
        news industry feel fit soup aisle dolphin circle bronze vehicle bar hunt teach wagon";
    /// `Wallet::from_seed(2)` by CosmJS.
    const SEED_2_PHRASE: &str = "era exhibit erode grass absurd swarm artwork report symbol \
        dismiss also dune decorate private other common easy improve more theme rare zone sort \
        practice";
    /// CosmJS's own test mnemonic (its spec's address for index 0 is
    /// cosmos14qemq0vw6y3gc3u3e0aty2e764u4gs5le3hada: the same bytes).
    const CLASSIC_12: &str =
        "enlist hip relief stomach skate base shallow young switch frequent cry park";

    /// (index, akash address, compressed public key hex) of SEED_1_PHRASE.
    const SEED_1_ACCOUNTS: [(u32, &str, &str); 3] = [
        (
            0,
            "akash1lgannam90qgq4zrsr9434pjy4vma0vluh77la7",
            "027838575bc2d19e02c3e3defdfd50ae4dc81f7c638d6c6669c83ebdf76c4ab716",
        ),
        (
            1,
            "akash1239gycechl9sqfrgakrs75alzgw7tu3kuavhee",
            "031ac423b233e03a305e25b102234f4039883cce919a0e138989ce042335aac10f",
        ),
        (
            7,
            "akash1ffhysm4jkejjjq8jd6yddkye05hau7sl2xpnxy",
            "020e2b0990f7b805a2b07c7288564375d16e2e85c63b00fd854e89ec7f1a0ea500",
        ),
    ];
    /// (index, akash address, compressed public key hex) of CLASSIC_12.
    const CLASSIC_12_ACCOUNTS: [(u32, &str, &str); 3] = [
        (
            0,
            "akash14qemq0vw6y3gc3u3e0aty2e764u4gs5l526658",
            "03d7178566fc669a82ce403c75008f576f4a75e44b577ad4631ae41ee74b6d0b52",
        ),
        (
            1,
            "akash1hhg2rlu9jscacku2wwckws7932qqqu8xuny0h4",
            "0385e5bb3bdc531d1588b1740e3616e7f9e802b1b0a65b43b2da14519a3e8356f4",
        ),
        (
            7,
            "akash1jc09rs4wzdqu55jucdp08qhs45534npf3fsv09",
            "02697f407a77cc80e66a16c743d3f65d7df6efab6ba927b89e954cfcd78233f077",
        ),
    ];

    /// The signed SignDoc: `TxBody{memo: "supercloud keys test"}`, AuthInfo from CosmJS's
    /// `makeAuthInfoBytes` (index 0's key, sequence 3, fee 5000uakt, gas 200000), chain id
    /// `akash-devnet-1`, account number 7.
    const BODY: &str = "12147375706572636c6f7564206b6579732074657374";
    /// AuthInfo bytes for SEED_1_PHRASE's index 0.
    const SEED_1_AUTH_INFO: &str = "0a500a460a1f2f636f736d6f732e63727970746f2e736563703235366b31\
        2e5075624b657912230a21027838575bc2d19e02c3e3defdfd50ae4dc81f7c638d6c6669c83ebdf76c4ab716\
        12040a020801180312120a0c0a0475616b7412043530303010c09a0c";
    /// CosmJS `makeSignBytes` of that SignDoc.
    const SEED_1_SIGN_BYTES: &str = "0a1612147375706572636c6f7564206b657973207465737412660a500a\
        460a1f2f636f736d6f732e63727970746f2e736563703235366b312e5075624b657912230a21027838575bc2\
        d19e02c3e3defdfd50ae4dc81f7c638d6c6669c83ebdf76c4ab71612040a020801180312120a0c0a0475616b\
        7412043530303010c09a0c1a0e616b6173682d6465766e65742d312007";
    /// CosmJS `signDirect` by SEED_1_PHRASE's index 0.
    const SEED_1_SIGNATURE: &str = "d0f5ab0eea89e3ea9d257cb470ce93c3948bc74d7f35f18b70c624ed6b1\
        9af0d20dcaf1d37fad6175525036d9ee14a0d9cf00b3a8483dd443fd9edbb4309e64a";
    /// AuthInfo bytes for CLASSIC_12's index 0.
    const CLASSIC_12_AUTH_INFO: &str = "0a500a460a1f2f636f736d6f732e63727970746f2e73656370323536\
        6b312e5075624b657912230a2103d7178566fc669a82ce403c75008f576f4a75e44b577ad4631ae41ee74b6d\
        0b5212040a020801180312120a0c0a0475616b7412043530303010c09a0c";
    /// CosmJS `signDirect` by CLASSIC_12's index 0.
    const CLASSIC_12_SIGNATURE: &str = "43d3b0ad6d2dfa28c188b9a47897ffb9461608ae5baad0f338ec3fe6\
        548bbe6073af1fae6a62d9f925ef19a7d095e180ae49296e2c7d7633679bc827550f4461";
    /// CosmJS `encodePubkey(encodeSecp256k1Pubkey(pk)).value` of SEED_1_PHRASE's index 0.
    const SEED_1_PUBKEY_ANY_VALUE: &str =
        "0a21027838575bc2d19e02c3e3defdfd50ae4dc81f7c638d6c6669c83ebdf76c4ab716";

    const CHAIN_ID: &str = "akash-devnet-1";
    const ACCOUNT_NUMBER: u64 = 7;

    fn unhex(s: &str) -> Vec<u8> {
        hex::decode(s).unwrap()
    }

    fn akash(key: &Key) -> String {
        crate::chain::accounts::bech32("akash", &key.raw_address())
            .unwrap()
            .to_string()
    }

    fn check_accounts(wallet: &Wallet, expected: &[(u32, &str, &str)]) {
        for (index, address, public) in expected {
            let key = wallet.key(*index).unwrap();
            assert_eq!(hex::encode(key.public_key()), *public, "index {index}");
            assert_eq!(akash(&key), *address, "index {index}");
            assert_eq!(raw_address(&key.public_key()), key.raw_address());
        }
    }

    /// Signs the vector's SignDoc with index 0 and checks bytes and signature against CosmJS.
    fn check_signature(wallet: &Wallet, auth_info: &str, signature: &str) -> Vec<u8> {
        let doc = sign_doc(&unhex(BODY), &unhex(auth_info), CHAIN_ID, ACCOUNT_NUMBER);
        let key = wallet.key(0).unwrap();
        let signed = key.sign(&doc);
        // RFC 6979 makes the signature a function of key and message: CosmJS's exactly.
        assert_eq!(hex::encode(signed), signature);
        assert!(verify(&key.public_key(), &doc, &signed));
        doc
    }

    #[test]
    fn from_seed_matches_cosmjs() {
        let wallet = Wallet::from_seed(1).unwrap();
        assert_eq!(
            wallet.phrase(),
            SEED_1_PHRASE
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        );
        check_accounts(&wallet, &SEED_1_ACCOUNTS);
        let doc = check_signature(&wallet, SEED_1_AUTH_INFO, SEED_1_SIGNATURE);
        assert_eq!(hex::encode(doc), SEED_1_SIGN_BYTES);
    }

    #[test]
    fn phrases_match_cosmjs() {
        let wallet = Wallet::from_phrase(CLASSIC_12).unwrap();
        assert_eq!(wallet.phrase(), CLASSIC_12);
        check_accounts(&wallet, &CLASSIC_12_ACCOUNTS);
        check_signature(&wallet, CLASSIC_12_AUTH_INFO, CLASSIC_12_SIGNATURE);

        // The 24 words typed in give the wallet from_seed(1) gives.
        let wallet = Wallet::from_phrase(SEED_1_PHRASE).unwrap();
        check_accounts(&wallet, &SEED_1_ACCOUNTS);
    }

    #[test]
    fn from_seed_is_deterministic_and_differs_by_seed() {
        let one = Wallet::from_seed(1).unwrap();
        let again = Wallet::from_seed(1).unwrap();
        let two = Wallet::from_seed(2).unwrap();
        assert_eq!(one.phrase(), again.phrase());
        assert_eq!(one.phrase().split(' ').count(), 24);
        assert_eq!(
            two.phrase(),
            SEED_2_PHRASE
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        );
        assert_ne!(one.phrase(), two.phrase());
        assert_eq!(
            one.key(3).unwrap().public_key(),
            again.key(3).unwrap().public_key()
        );
        assert_ne!(
            one.key(3).unwrap().public_key(),
            two.key(3).unwrap().public_key()
        );
        assert_ne!(
            one.key(3).unwrap().public_key(),
            one.key(4).unwrap().public_key()
        );
    }

    #[test]
    fn bad_phrases_and_indices_are_errors() {
        // A wrong checksum (last word changed), an unknown word, a wrong word count, nothing.
        let bad_checksum = CLASSIC_12.replace("park", "pact");
        let unknown_word = CLASSIC_12.replace("enlist", "enlisted");
        let eleven = CLASSIC_12.replace(" park", "");
        for phrase in [bad_checksum.as_str(), &unknown_word, &eleven, "", "   "] {
            assert!(Wallet::from_phrase(phrase).is_err(), "{phrase:?}");
        }
        // Extra whitespace is only layout.
        let spaced = format!("  {}\n", CLASSIC_12.replace(' ', "  "));
        assert_eq!(Wallet::from_phrase(&spaced).unwrap().phrase(), CLASSIC_12);
        // Hardened indices are not account indices.
        let wallet = Wallet::from_seed(1).unwrap();
        assert!(wallet.key(1 << 31).is_err());
        assert!(wallet.key((1 << 31) - 1).is_ok());
    }

    #[test]
    fn debug_does_not_print_secrets() {
        let wallet = Wallet::from_seed(1).unwrap();
        let key = wallet.key(0).unwrap();
        let secret = hex::encode(key.signing.to_bytes());
        let shown = format!("{wallet:?} {key:?} {:?}", key.clone());
        assert!(!shown.contains(&secret), "{shown}");
        assert!(!shown.contains("frame"), "{shown}");
        assert!(shown.contains(&hex::encode(key.public_key())), "{shown}");
    }

    #[test]
    fn sign_verify_round_trip_and_tampering() {
        let wallet = Wallet::from_seed(1).unwrap();
        let key = wallet.key(0).unwrap();
        let other = wallet.key(1).unwrap();
        let doc = sign_doc(b"body", b"auth", CHAIN_ID, 12);
        let signature = key.sign(&doc);
        let public = key.public_key();
        assert!(verify(&public, &doc, &signature));
        assert_eq!(key.sign(&doc), signature, "deterministic");

        // Any flipped bit of the signature, or of the signed bytes, fails.
        for bit in [0, 7, 255, 256, 511] {
            let mut s = signature;
            s[bit / 8] ^= 1 << (bit % 8);
            assert!(!verify(&public, &doc, &s), "signature bit {bit}");
        }
        for byte in 0..doc.len() {
            let mut d = doc.clone();
            d[byte] ^= 0x01;
            assert!(!verify(&public, &d, &signature), "doc byte {byte}");
        }
        // The sign doc binds chain id and account number.
        assert!(!verify(
            &public,
            &sign_doc(b"body", b"auth", "other-1", 12),
            &signature
        ));
        assert!(!verify(
            &public,
            &sign_doc(b"body", b"auth", CHAIN_ID, 13),
            &signature
        ));
        // Another key's signature, or this signature under another key, fails.
        assert!(!verify(&other.public_key(), &doc, &signature));
        assert!(!verify(&public, &doc, &other.sign(&doc)));
        // A flipped bit of the key: another point, or none at all.
        let mut k = public;
        k[32] ^= 1;
        assert!(!verify(&k, &doc, &signature));
    }

    #[test]
    fn high_s_and_malformed_input_are_refused() {
        let wallet = Wallet::from_seed(1).unwrap();
        let key = wallet.key(0).unwrap();
        let doc = sign_doc(b"body", b"auth", CHAIN_ID, 0);
        let low = key.sign(&doc);
        let parsed = Signature::from_slice(&low).unwrap();
        assert!(parsed.normalize_s().is_none(), "sign gives low-S");
        // The same signature with s replaced by n - s: valid ECDSA, refused for malleability.
        let high =
            Signature::from_scalars(parsed.r().to_bytes(), (-*parsed.s()).to_bytes()).unwrap();
        let high_bytes: Vec<u8> = high.to_bytes().to_vec();
        assert_eq!(high.normalize_s().unwrap().to_bytes()[..], low);
        assert!(!verify(&key.public_key(), &doc, &high_bytes));
        // ...and valid it is: textbook ECDSA (no low-S rule) accepts it, so the refusal above is
        // the malleability rule and nothing else.
        let point = key.signing.verifying_key().as_affine().into();
        let z = Sha256::digest(&doc);
        assert!(k256::ecdsa::hazmat::verify_prehashed(&point, &z, &high).is_ok());

        let public = key.public_key();
        // Wrong lengths, an uncompressed key, zero scalars, r or s above the order.
        assert!(!verify(&public[..32], &doc, &low));
        assert!(!verify(&[public.as_slice(), &[0]].concat(), &doc, &low));
        let uncompressed = key.signing.verifying_key().to_encoded_point(false);
        assert!(!verify(uncompressed.as_bytes(), &doc, &low));
        assert!(!verify(&public, &doc, &low[..63]));
        assert!(!verify(&public, &doc, &[low.as_slice(), &[0]].concat()));
        assert!(!verify(&public, &doc, &[0u8; 64]));
        assert!(!verify(&public, &doc, &[0xffu8; 64]));
        assert!(!verify(&[0u8; 33], &doc, &low));
        assert!(!verify(&[], &doc, &[]));
    }

    #[test]
    fn pubkey_any_round_trip_and_bad_input() {
        let key = Wallet::from_seed(1).unwrap().key(0).unwrap();
        let any = pubkey_any(&key.public_key());
        assert_eq!(any.type_url, PUBKEY_TYPE_URL);
        assert_eq!(hex::encode(&any.value), SEED_1_PUBKEY_ANY_VALUE);
        assert_eq!(pubkey_from_any(&any).unwrap(), key.public_key());

        let wrong_type = Any {
            type_url: "/cosmos.crypto.ed25519.PubKey".into(),
            value: any.value.clone(),
        };
        let garbage = Any {
            type_url: PUBKEY_TYPE_URL.into(),
            value: vec![0x0a, 0x21, 0x02],
        };
        let short = Any {
            type_url: PUBKEY_TYPE_URL.into(),
            value: PubKey { key: vec![2; 32] }.encode_to_vec(),
        };
        let uncompressed = Any {
            type_url: PUBKEY_TYPE_URL.into(),
            value: PubKey {
                key: key
                    .signing
                    .verifying_key()
                    .to_encoded_point(false)
                    .as_bytes()
                    .to_vec(),
            }
            .encode_to_vec(),
        };
        let empty = Any {
            type_url: PUBKEY_TYPE_URL.into(),
            value: Vec::new(),
        };
        for bad in [wrong_type, garbage, short, uncompressed, empty] {
            assert!(pubkey_from_any(&bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn sign_doc_omits_default_fields_as_proto3() {
        // Account number 0 and an empty chain id are absent from the encoding, as in the SDK
        // (gogoproto) and CosmJS (`SignDoc.encode`).
        assert_eq!(sign_doc(b"", b"", "", 0), Vec::<u8>::new());
        assert_eq!(sign_doc(b"b", b"", "", 0), vec![0x0a, 0x01, b'b']);
    }

    /// Timings in the current profile: `cargo test -p devnet --lib keys::tests::timings --
    /// --ignored --nocapture`.
    #[test]
    #[ignore = "prints timings"]
    fn timings() {
        const N: u32 = 50;
        let t = Instant::now();
        let wallet = Wallet::from_seed(1).unwrap();
        println!("Wallet::from_seed: {:?}", t.elapsed());
        let t = Instant::now();
        let keys: Vec<Key> = (0..N).map(|i| wallet.key(i).unwrap()).collect();
        println!("Wallet::key: {:?} each", t.elapsed() / N);
        let doc = vec![7u8; 300];
        let t = Instant::now();
        let signatures: Vec<[u8; 64]> = keys.iter().map(|k| k.sign(&doc)).collect();
        println!("Key::sign: {:?} each", t.elapsed() / N);
        let t = Instant::now();
        for (key, signature) in keys.iter().zip(&signatures) {
            assert!(verify(&key.public_key(), &doc, signature));
        }
        println!("verify: {:?} each", t.elapsed() / N);
    }
}
