//! API keys: issued by the operator (`indexer api-key create`), shown once, stored as SHA-256.

use rand::RngCore;
use sha2::{Digest, Sha256};

/// Prefix of every key (recognisable in logs and secret scanners).
pub const PREFIX: &str = "sck_";

/// A new random key (256 bits).
pub fn generate() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("{PREFIX}{}", hex::encode(bytes))
}

/// What is stored for `key`.
pub fn hash(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

/// A key as stored (never the key itself).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiKey {
    pub id: i64,
    /// `None`: every owner.
    pub owner: Option<String>,
    pub label: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub revoked_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl ApiKey {
    /// Whether this key may act on `owner`'s accounts.
    pub fn may_act_for(&self, owner: &str) -> bool {
        self.revoked_at.is_none() && self.owner.as_deref().is_none_or(|o| o == owner)
    }
}

fn of_row(r: &tokio_postgres::Row) -> ApiKey {
    ApiKey {
        id: r.get("id"),
        owner: r.get("owner"),
        label: r.get("label"),
        created_at: r.get("created_at"),
        revoked_at: r.get("revoked_at"),
    }
}

const COLUMNS: &str = "id, owner, label, created_at, revoked_at";

/// Creates a key for `owner` (`None`: all owners); returns it with the key, shown only now.
pub async fn create(
    client: &impl tokio_postgres::GenericClient,
    owner: Option<&str>,
    label: Option<&str>,
) -> Result<(ApiKey, String), tokio_postgres::Error> {
    let key = generate();
    let row = client
        .query_one(
            &format!("INSERT INTO api_key (key_hash, owner, label) VALUES ($1, $2, $3) RETURNING {COLUMNS}"),
            &[&hash(&key), &owner, &label],
        )
        .await?;
    Ok((of_row(&row), key))
}

/// Every key, newest first.
pub async fn list(
    client: &impl tokio_postgres::GenericClient,
) -> Result<Vec<ApiKey>, tokio_postgres::Error> {
    let rows = client
        .query(
            &format!("SELECT {COLUMNS} FROM api_key ORDER BY id DESC"),
            &[],
        )
        .await?;
    Ok(rows.iter().map(of_row).collect())
}

/// Revokes key `id`; whether it existed and was live.
pub async fn revoke(
    client: &impl tokio_postgres::GenericClient,
    id: i64,
) -> Result<bool, tokio_postgres::Error> {
    let n = client
        .execute(
            "UPDATE api_key SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL",
            &[&id],
        )
        .await?;
    Ok(n == 1)
}

/// The live key `key` names, if any.
pub async fn authenticate(
    client: &impl tokio_postgres::GenericClient,
    key: &str,
) -> Result<Option<ApiKey>, tokio_postgres::Error> {
    if !key.starts_with(PREFIX) {
        return Ok(None);
    }
    let row = client
        .query_opt(
            &format!("SELECT {COLUMNS} FROM api_key WHERE key_hash = $1 AND revoked_at IS NULL"),
            &[&hash(key)],
        )
        .await?;
    Ok(row.as_ref().map(of_row))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_random_and_only_their_hash_is_kept() {
        let (a, b) = (generate(), generate());
        assert_ne!(a, b);
        assert!(a.starts_with(PREFIX) && a.len() == PREFIX.len() + 64);
        assert_eq!(hash(&a), hash(&a));
        assert_ne!(hash(&a), hash(&b));
        assert!(!hash(&a).contains(&a[PREFIX.len()..]));
        // sha256("abc"), an independent vector.
        assert_eq!(
            hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn a_key_acts_for_its_owner_only_unless_it_is_for_all() {
        let key = |owner: Option<&str>| ApiKey {
            id: 1,
            owner: owner.map(String::from),
            label: None,
            created_at: chrono::Utc::now(),
            revoked_at: None,
        };
        assert!(key(Some("a")).may_act_for("a"));
        assert!(!key(Some("a")).may_act_for("b"));
        assert!(key(None).may_act_for("b"));
        let mut revoked = key(None);
        revoked.revoked_at = Some(chrono::Utc::now());
        assert!(!revoked.may_act_for("b"));
    }
}
