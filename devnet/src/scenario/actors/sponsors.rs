//! Sponsors (DAOs, grant programs): fund tenants through escrow allowances that the tenants
//! spend on top-ups, let some expire, and revoke some (the unspent balance comes back).

use escrow::msg::{ExecuteMsg, ScopeMsg};

use crate::chain::Chain;
use crate::scenario::ctx::{Call, Ctx};
use crate::scenario::world::Allowance;

/// Grants and revocations.
pub fn act(ctx: &mut Ctx, chain: &mut Chain) -> anyhow::Result<()> {
    if ctx.cast.sponsors.is_empty() || ctx.world.market.paused.contains("escrow") {
        return Ok(());
    }
    if ctx.chance(ctx.cfg.grants_per_day) {
        let sponsor = ctx.pick(ctx.cast.sponsors.len());
        let tenant = ctx.some_tenant();
        grant(ctx, chain, sponsor, tenant, None)?;
    }
    if ctx.chance(ctx.cfg.grants_per_day / 8.0) && !ctx.world.allowances.is_empty() {
        let n = ctx.pick(ctx.world.allowances.len());
        if let Some((sponsor, tenant)) = ctx.world.allowances.keys().nth(n).copied() {
            revoke(ctx, chain, sponsor, tenant)?;
        }
    }
    Ok(())
}

/// `sponsor` lets `tenant` spend up to a few thousand AKT on its own deployments, until height
/// `expires_at` when given.
pub fn grant(
    ctx: &mut Ctx,
    chain: &mut Chain,
    sponsor: usize,
    tenant: usize,
    expires_at: Option<u64>,
) -> anyhow::Result<bool> {
    let (Some(who), Some(grantee)) = (
        ctx.cast.sponsors.get(sponsor).cloned(),
        ctx.cast.tenants.get(tenant).cloned(),
    ) else {
        return Ok(false);
    };
    let amount = u128::from(ctx.between(2_000, 20_000)) * 1_000_000;
    let call = Call::new(
        "escrow",
        &ExecuteMsg::GrantAllowance {
            grantee: grantee.addr.to_string(),
            scope: ScopeMsg::Owner {
                owner: grantee.addr.to_string(),
            },
            expires_at,
        },
    )?
    .funds("uakt", amount);
    let outcome = ctx.send(chain, &who, vec![call], "escrow.grant")?;
    if outcome.code != 0 {
        return Ok(false);
    }
    ctx.world.allowances.insert(
        (sponsor, tenant),
        Allowance {
            denom: "uakt".into(),
            expires_at,
        },
    );
    for d in ctx.world.deployments.values_mut() {
        if d.owner == tenant && d.denom == "uakt" && d.sponsor.is_none() {
            d.sponsor = Some(sponsor);
        }
    }
    Ok(true)
}

/// `sponsor` revokes its allowance to `tenant`; what is left goes back.
pub fn revoke(
    ctx: &mut Ctx,
    chain: &mut Chain,
    sponsor: usize,
    tenant: usize,
) -> anyhow::Result<()> {
    let (Some(who), Some(grantee)) = (
        ctx.cast.sponsors.get(sponsor).cloned(),
        ctx.cast.tenants.get(tenant).cloned(),
    ) else {
        return Ok(());
    };
    let Some(allowance) = ctx.world.allowances.remove(&(sponsor, tenant)) else {
        return Ok(());
    };
    for d in ctx.world.deployments.values_mut() {
        if d.owner == tenant && d.sponsor == Some(sponsor) {
            d.sponsor = None;
        }
    }
    let call = Call::new(
        "escrow",
        &ExecuteMsg::RevokeAllowance {
            grantee: grantee.addr.to_string(),
            denom: allowance.denom,
        },
    )?;
    ctx.send(chain, &who, vec![call], "escrow.revoke")?;
    Ok(())
}
