//! Bare-metal reservations: tenants book attested hosts ahead (uakt, or ACT through the bme
//! hook), providers confirm and claim as the term runs, some bookings are cancelled, the
//! auditor renews attestations.

use reservations::msg::Tee;
use reservations::msg::{AvailabilityResponse, ExecuteMsg, QueryMsg, ReceiveHook, ReserveMsg};
use sha2::{Digest, Sha256};

use super::calls::Call;
use super::driver::{Scenario, DAY_S};
use super::world::{Booking, Host};
use crate::chain::Chain;
use supercloud_events::reservations as ev;

/// Expected new bookings per simulated day (all tenants).
const BOOKINGS_PER_DAY: f64 = 2.0;
/// Chain seconds between claims of a running reservation.
const CLAIM_EVERY_S: u64 = 12 * 3_600;
/// Attestation validity.
const ATTESTATION_S: u64 = 90 * DAY_S;

impl Scenario {
    /// Bookings, confirmations, claims, cancels and attestation renewals.
    pub(crate) fn reservations(&mut self, chain: &mut Chain) -> anyhow::Result<()> {
        if !self.world.hosts.is_empty() && self.chance(BOOKINGS_PER_DAY) {
            self.book(chain)?;
        }
        self.confirm_and_claim(chain)?;
        self.renew_attestations(chain)
    }

    /// Registers two hosts per provider and posts a bond (one tx each), then has the auditor
    /// attest every host.
    pub(crate) fn register_hosts(&mut self, chain: &mut Chain) -> anyhow::Result<()> {
        let price = self.price_milli();
        for p in 0..self.actors.providers.len() {
            let Some(who) = self.actors.providers.get(p).cloned() else {
                continue;
            };
            let act_priced = p % 2 == 0;
            let hosts = [
                (
                    format!("p{p}-h100"),
                    "h100",
                    8u32,
                    "uakt".to_string(),
                    8 * 1_900u128,
                    None,
                ),
                (
                    format!("p{p}-a100"),
                    "a100",
                    4u32,
                    if act_priced { "uact" } else { "uakt" }.to_string(),
                    4 * 1_100u128,
                    (p % 2 == 1).then_some(DAY_S),
                ),
            ];
            let mut calls = Vec::new();
            for (host_id, model, count, denom, usd_milli, reclaim) in &hosts {
                let per_hour = if denom == "uact" {
                    usd_milli * 1_000
                } else {
                    usd_milli * 1_000_000 / price
                };
                calls.push(Call::new(
                    "reservations",
                    &ExecuteMsg::RegisterHost(reservations::msg::HostMsg {
                        host_id: host_id.clone(),
                        gpu_model: model.to_string(),
                        gpu_count: *count,
                        cpu: 64,
                        memory: 512 * (1 << 30),
                        bare_metal: true,
                        attributes: vec![],
                        price_per_hour: cosmwasm_std::Coin::new(per_hour, denom.clone()),
                        reclamation_window_s: *reclaim,
                        require_attestation: false,
                    }),
                )?);
            }
            calls.push(
                Call::new("reservations", &ExecuteMsg::PostBond {})?
                    .funds("uakt", 10_000 * 1_000_000),
            );
            let outcome = self.send(chain, &who, calls, "reservations.register")?;
            if outcome.code == 0 {
                for (host_id, model, _, denom, _, _) in hosts {
                    self.world.hosts.push(Host {
                        provider: p,
                        host_id,
                        denom,
                        gpu_model: model.to_string(),
                        attested_until_s: 0,
                    });
                }
            }
        }
        self.attest(chain, None)
    }

    /// The auditor records (or renews, for `Some` hosts) attestations.
    fn attest(&mut self, chain: &mut Chain, only: Option<Vec<usize>>) -> anyhow::Result<()> {
        let (_, now) = Self::now(chain);
        let targets: Vec<usize> = only.unwrap_or_else(|| (0..self.world.hosts.len()).collect());
        let mut calls = Vec::new();
        for &i in &targets {
            let Some(host) = self.world.hosts.get(i) else {
                continue;
            };
            let provider = self.provider_addr(host.provider)?;
            let tee = [Tee::Tdx, Tee::SevSnp, Tee::Nvtrust][i % 3];
            let report = Sha256::digest(format!("{provider}/{}/{now}", host.host_id));
            calls.push(Call::new(
                "reservations",
                &ExecuteMsg::RecordAttestation {
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
        let auditor = self.actors.auditor.clone();
        let outcome = self.send(chain, &auditor, calls, "reservations.attest")?;
        if outcome.code == 0 {
            for i in targets {
                if let Some(host) = self.world.hosts.get_mut(i) {
                    host.attested_until_s = now + ATTESTATION_S;
                }
            }
        }
        Ok(())
    }

    fn renew_attestations(&mut self, chain: &mut Chain) -> anyhow::Result<()> {
        let (_, now) = Self::now(chain);
        let due: Vec<usize> = self
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
        self.attest(chain, Some(due))
    }

    fn book(&mut self, chain: &mut Chain) -> anyhow::Result<()> {
        let tenant = self.pick(self.actors.tenants.len());
        let host_index = self.pick(self.world.hosts.len());
        let (Some(who), Some(host)) = (
            self.actors.tenants.get(tenant).cloned(),
            self.world.hosts.get(host_index).cloned(),
        ) else {
            return Ok(());
        };
        let (_, now) = Self::now(chain);
        let hour = 3_600;
        let start = (now / hour + 3 + self.pick(24) as u64) * hour;
        let end = start + (4 + self.pick(7 * 24) as u64) * hour;
        let provider = self.provider_addr(host.provider)?;
        let availability: AvailabilityResponse = chain.query_smart(
            self.suite.addr("reservations")?,
            &QueryMsg::Availability {
                provider: provider.clone(),
                host_id: host.host_id.clone(),
                start,
                end,
            },
        )?;
        if !availability.available {
            return Ok(());
        }
        let price = cosmwasm_std::Uint128::try_from(availability.price.amount)
            .map_or(u128::MAX, |u| u.u128());
        let reserve = ReserveMsg {
            provider,
            host_id: host.host_id.clone(),
            start,
            end,
            require_attestation: false,
        };
        let call = if host.denom == "uact" {
            if self.act_balance(chain, tenant)? < price {
                return Ok(());
            }
            let target = self.suite.addr("reservations")?.to_string();
            Call::act_send(
                "reservations",
                &target,
                price,
                &ReceiveHook::Reserve(reserve),
            )?
        } else {
            Call::new("reservations", &ExecuteMsg::Reserve(reserve))?.funds(&host.denom, price)
        };
        let outcome = self.send(chain, &who, vec![call], "reservations.reserve")?;
        if let Some(id) = outcome
            .catalogued::<ev::ReservationRequested>()
            .first()
            .map(|e| e.id)
        {
            self.world.bookings.push(Booking {
                id,
                host: host_index,
                tenant,
                end_s: end,
                confirmed: false,
                next_claim_s: start + CLAIM_EVERY_S,
            });
        }
        Ok(())
    }

    fn confirm_and_claim(&mut self, chain: &mut Chain) -> anyhow::Result<()> {
        let (_, now) = Self::now(chain);
        let bookings = self.world.bookings.clone();
        let mut done = Vec::new();
        for (i, b) in bookings.iter().enumerate() {
            let Some(host) = self.world.hosts.get(b.host).cloned() else {
                continue;
            };
            let Some(provider) = self.actors.providers.get(host.provider).cloned() else {
                continue;
            };
            if !b.confirmed {
                if self.flip(0.03) {
                    // The tenant changes plans before the provider answers.
                    if let Some(tenant) = self.actors.tenants.get(b.tenant).cloned() {
                        let call = Call::new(
                            "reservations",
                            &ExecuteMsg::Cancel {
                                id: b.id,
                                reason: Some("plans changed".into()),
                            },
                        )?;
                        self.send(chain, &tenant, vec![call], "reservations.cancel")?;
                    }
                    done.push(i);
                    continue;
                }
                if !self.flip(0.5) {
                    // The provider answers a little later.
                    continue;
                }
                let call = Call::new("reservations", &ExecuteMsg::Confirm { id: b.id })?;
                let outcome = self.send(chain, &provider, vec![call], "reservations.confirm")?;
                if outcome.code == 0 {
                    if let Some(entry) = self.world.bookings.get_mut(i) {
                        entry.confirmed = true;
                    }
                } else {
                    done.push(i);
                }
                continue;
            }
            if now >= b.next_claim_s || now >= b.end_s {
                let call = Call::new("reservations", &ExecuteMsg::Claim { id: b.id })?;
                let outcome = self.send(chain, &provider, vec![call], "reservations.claim")?;
                let completed = !outcome.catalogued::<ev::ReservationCompleted>().is_empty();
                if completed || outcome.code != 0 {
                    done.push(i);
                } else if let Some(entry) = self.world.bookings.get_mut(i) {
                    entry.next_claim_s = (now + CLAIM_EVERY_S).min(entry.end_s);
                }
            }
        }
        let mut index = 0;
        self.world.bookings.retain(|_| {
            let keep = !done.contains(&index);
            index += 1;
            keep
        });
        Ok(())
    }
}
