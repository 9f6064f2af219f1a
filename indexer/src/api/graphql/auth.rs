//! API-key authentication of alert queries and mutations: the HTTP handler puts the
//! `Authorization: Bearer <key>` value in the request's data; resolvers look the key up here.

use async_graphql::Context;
use axum::http::header::AUTHORIZATION;
use axum::http::HeaderMap;
use deadpool_postgres::Pool;

use crate::alerts::keys::{self, ApiKey};
use crate::api::{ApiError, ApiState};

/// The key a request presented (`Authorization: Bearer <key>`).
#[derive(Clone, Debug)]
pub struct Bearer(pub String);

impl Bearer {
    /// The bearer token of `headers`, if any.
    pub fn of(headers: &HeaderMap) -> Option<Bearer> {
        let value = headers.get(AUTHORIZATION)?.to_str().ok()?.trim();
        let (scheme, token) = value.split_once(' ')?;
        scheme
            .eq_ignore_ascii_case("bearer")
            .then(|| Bearer(token.trim().to_string()))
    }
}

/// The primary, where alerts are written (and keys looked up, so a new or revoked key takes
/// effect at once even behind a lagging replica).
pub fn primary(state: &ApiState) -> Result<&Pool, ApiError> {
    state.write.as_ref().ok_or_else(|| {
        ApiError::Unavailable("alerts need the primary database (--database-url)".into())
    })
}

/// The live key of the request, or `UNAUTHENTICATED`.
pub async fn api_key(ctx: &Context<'_>) -> Result<(ApiState, ApiKey), ApiError> {
    let state = ctx
        .data::<ApiState>()
        .map_err(|_| ApiError::Unavailable("no API state".into()))?
        .clone();
    let Some(Bearer(token)) = ctx.data_opt::<Bearer>() else {
        return Err(ApiError::Unauthenticated(
            "an API key is required (Authorization: Bearer <key>)".into(),
        ));
    };
    let client = primary(&state)?.get().await?;
    match keys::authenticate(&**client, token).await? {
        Some(key) => Ok((state, key)),
        None => Err(ApiError::Unauthenticated(
            "the API key is unknown or revoked".into(),
        )),
    }
}

/// `FORBIDDEN` unless `key` may act on `owner`'s accounts.
pub fn may_act_for(key: &ApiKey, owner: &str) -> Result<(), ApiError> {
    if key.may_act_for(owner) {
        Ok(())
    } else {
        Err(ApiError::Forbidden(format!(
            "this API key may not act on owner {owner}'s accounts"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_bearer_tokens_are_read() {
        let mut h = HeaderMap::new();
        assert!(Bearer::of(&h).is_none());
        h.insert(AUTHORIZATION, "Bearer sck_abc".parse().unwrap());
        assert_eq!(Bearer::of(&h).unwrap().0, "sck_abc");
        h.insert(AUTHORIZATION, "bearer  sck_x ".parse().unwrap());
        assert_eq!(Bearer::of(&h).unwrap().0, "sck_x");
        h.insert(AUTHORIZATION, "Basic dXNlcg==".parse().unwrap());
        assert!(Bearer::of(&h).is_none());
    }
}
