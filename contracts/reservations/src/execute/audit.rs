//! Attestations recorded, renewed and revoked by authority-appointed auditors (AEP-29/86).

use cosmwasm_std::{Addr, DepsMut, Env, Response};
use supercloud_events::{reservations as ev, CatalogEvent};

use crate::error::ContractError;
use crate::execute::check_reason;
use crate::load::{config, load_host};
use crate::msg::{Attestation, Tee};
use crate::state::{ATTESTATIONS, ATTESTED_BY_EXPIRY, AUDITORS};

fn assert_auditor(deps: &DepsMut, sender: &Addr) -> Result<(), ContractError> {
    if !AUDITORS.has(deps.storage, sender) {
        return Err(ContractError::NotAuditor {
            address: sender.to_string(),
        });
    }
    Ok(())
}

fn check_expiry(deps: &DepsMut, now: u64, expires_at: u64) -> Result<(), ContractError> {
    let max = config(deps.storage)?.max_attestation_validity_s;
    let latest = now
        .checked_add(max)
        .ok_or(ContractError::InvalidAttestation {
            reason: "expiry overflows",
        })?;
    if expires_at <= now || expires_at > latest {
        return Err(ContractError::AttestationExpiry { now, latest });
    }
    Ok(())
}

/// Validates a 32-byte hex report hash; returns it lower-cased.
pub fn normalize_hash(hash: &str) -> Result<String, ContractError> {
    if hash.len() != 64 || !hash.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(ContractError::InvalidAttestation {
            reason: "report_hash must be 64 hex characters (32 bytes)",
        });
    }
    Ok(hash.to_ascii_lowercase())
}

fn save(
    deps: &mut DepsMut,
    provider: &Addr,
    host_id: &str,
    old: Option<&Attestation>,
    new: &Attestation,
) -> Result<(), ContractError> {
    if let Some(old) = old {
        ATTESTED_BY_EXPIRY.remove(deps.storage, (old.expires_at, provider, host_id));
    }
    ATTESTED_BY_EXPIRY.save(deps.storage, (new.expires_at, provider, host_id), &())?;
    ATTESTATIONS.save(deps.storage, (provider, host_id), new)?;
    Ok(())
}

/// Parameters of a new attestation.
pub struct Record {
    pub provider: Addr,
    pub host_id: String,
    pub tee: Tee,
    pub report_hash: String,
    pub expires_at: u64,
}

/// Records (or replaces) an attestation, verified now.
pub fn record(
    mut deps: DepsMut,
    env: &Env,
    auditor: Addr,
    r: Record,
) -> Result<Response, ContractError> {
    assert_auditor(&deps, &auditor)?;
    load_host(deps.storage, &r.provider, &r.host_id)?;
    let now = env.block.time.seconds();
    let report_hash = normalize_hash(&r.report_hash)?;
    check_expiry(&deps, now, r.expires_at)?;
    let old = ATTESTATIONS.may_load(deps.storage, (&r.provider, &r.host_id))?;
    let att = Attestation {
        auditor: auditor.clone(),
        tee: r.tee,
        report_hash,
        verified_at: now,
        expires_at: r.expires_at,
    };
    save(&mut deps, &r.provider, &r.host_id, old.as_ref(), &att)?;
    Ok(Response::new().add_event(
        ev::AttestationRecorded {
            provider: r.provider,
            host_id: r.host_id,
            auditor,
            tee: att.tee,
            report_hash: att.report_hash,
            verified_at: now,
            expires_at: att.expires_at,
            renewed: false,
        }
        .to_event(),
    ))
}

/// Renews an attestation (expired ones too): verified now, new expiry, same report.
pub fn renew(
    mut deps: DepsMut,
    env: &Env,
    auditor: Addr,
    provider: Addr,
    host_id: String,
    expires_at: u64,
) -> Result<Response, ContractError> {
    assert_auditor(&deps, &auditor)?;
    let now = env.block.time.seconds();
    check_expiry(&deps, now, expires_at)?;
    let old = ATTESTATIONS
        .may_load(deps.storage, (&provider, &host_id))?
        .ok_or_else(|| ContractError::NoAttestation {
            host_id: host_id.clone(),
        })?;
    let att = Attestation {
        auditor: auditor.clone(),
        verified_at: now,
        expires_at,
        ..old.clone()
    };
    save(&mut deps, &provider, &host_id, Some(&old), &att)?;
    Ok(Response::new().add_event(
        ev::AttestationRecorded {
            provider,
            host_id,
            auditor,
            tee: att.tee,
            report_hash: att.report_hash,
            verified_at: now,
            expires_at,
            renewed: true,
        }
        .to_event(),
    ))
}

/// Revokes a host's attestation.
pub fn revoke(
    deps: DepsMut,
    auditor: Addr,
    provider: Addr,
    host_id: String,
    reason: String,
) -> Result<Response, ContractError> {
    assert_auditor(&deps, &auditor)?;
    check_reason(&reason)?;
    let old = ATTESTATIONS
        .may_load(deps.storage, (&provider, &host_id))?
        .ok_or_else(|| ContractError::NoAttestation {
            host_id: host_id.clone(),
        })?;
    ATTESTED_BY_EXPIRY.remove(deps.storage, (old.expires_at, &provider, &host_id));
    ATTESTATIONS.remove(deps.storage, (&provider, &host_id));
    Ok(Response::new().add_event(
        ev::AttestationRevoked {
            provider,
            host_id,
            auditor,
            reason,
        }
        .to_event(),
    ))
}
