//! The hardware auditor (appointed by governance at setup): attests every host, renews
//! attestations a week before they expire, and revokes one when a host fails an audit.

use reservations::msg::{ExecuteMsg as ReservationsMsg, Tee};
use sha2::{Digest, Sha256};

use crate::chain::Chain;
use crate::scenario::ctx::{Call, Ctx, DAY_S, HOUR_S};

/// Attestation validity.
const ATTESTATION_S: u64 = 90 * DAY_S;

/// Renews attestations that expire within a week.
pub fn act(ctx: &mut Ctx, chain: &mut Chain) -> anyhow::Result<()> {
    if ctx.world.market.paused.contains("reservations") {
        return Ok(());
    }
    let (_, now) = Ctx::now(chain);
    if now % HOUR_S >= ctx.block_time_s {
        // Looks once an hour (the first block of the hour).
        return Ok(());
    }
    let due: Vec<usize> = ctx
        .world
        .hosts
        .iter()
        .enumerate()
        .filter(|(_, h)| h.attested_until_s > 0 && h.attested_until_s < now + 7 * DAY_S)
        .map(|(i, _)| i)
        .collect();
    if due.is_empty() {
        return Ok(());
    }
    let mut calls = Vec::new();
    for &i in &due {
        let host = &ctx.world.hosts[i];
        calls.push(Call::new(
            "reservations",
            &ReservationsMsg::RenewAttestation {
                provider: ctx.cast.providers[host.provider].addr.to_string(),
                host_id: host.host_id.clone(),
                expires_at: now + ATTESTATION_S,
            },
        )?);
    }
    let auditor = ctx.cast.auditor.clone();
    let outcome = ctx.send(chain, &auditor, calls, "reservations.renew")?;
    if outcome.code == 0 {
        for i in due {
            ctx.world.hosts[i].attested_until_s = now + ATTESTATION_S;
        }
    }
    Ok(())
}

/// Records attestations of `hosts` (all of them when `None`).
pub fn attest(ctx: &mut Ctx, chain: &mut Chain, hosts: Option<Vec<usize>>) -> anyhow::Result<()> {
    let (_, now) = Ctx::now(chain);
    let targets: Vec<usize> = hosts.unwrap_or_else(|| (0..ctx.world.hosts.len()).collect());
    let mut calls = Vec::new();
    for &i in &targets {
        let Some(host) = ctx.world.hosts.get(i) else {
            continue;
        };
        let provider = ctx.cast.providers[host.provider].addr.to_string();
        let tee = [Tee::Tdx, Tee::SevSnp, Tee::Nvtrust][i % 3];
        let report = Sha256::digest(format!("{provider}/{}/{now}", host.host_id));
        calls.push(Call::new(
            "reservations",
            &ReservationsMsg::RecordAttestation {
                provider,
                host_id: host.host_id.clone(),
                tee,
                report_hash: hex::encode(report),
                expires_at: now + ATTESTATION_S,
            },
        )?);
    }
    if calls.is_empty() {
        return Ok(());
    }
    let auditor = ctx.cast.auditor.clone();
    let outcome = ctx.send(chain, &auditor, calls, "reservations.attest")?;
    if outcome.code == 0 {
        for i in targets {
            if let Some(host) = ctx.world.hosts.get_mut(i) {
                host.attested_until_s = now + ATTESTATION_S;
            }
        }
    }
    Ok(())
}

/// Revokes the attestation of host `i` (it failed an audit).
pub fn revoke(ctx: &mut Ctx, chain: &mut Chain, i: usize) -> anyhow::Result<()> {
    let Some(host) = ctx.world.hosts.get(i).cloned() else {
        return Ok(());
    };
    let call = Call::new(
        "reservations",
        &ReservationsMsg::RevokeAttestation {
            provider: ctx.cast.providers[host.provider].addr.to_string(),
            host_id: host.host_id.clone(),
            reason: "GPU firmware measurement did not match the report".into(),
        },
    )?;
    let auditor = ctx.cast.auditor.clone();
    let outcome = ctx.send(chain, &auditor, vec![call], "reservations.revoke")?;
    if outcome.code == 0 {
        ctx.world.hosts[i].attested_until_s = 0;
    }
    Ok(())
}
