//! Incentive pilots after creation: providers ask to enroll and the pilot admin approves, the
//! keeper settles each epoch once it ended (after a fresh price) and finalizes the pilot.

use pip::msg::{EnrollmentRef, ExecuteMsg, PilotRef};

use super::calls::Call;
use super::driver::Scenario;
use crate::chain::Chain;
use supercloud_events::pip as ev;

impl Scenario {
    /// Enrollment, settlement and finalization of every open pilot.
    pub(crate) fn pilots(&mut self, chain: &mut Chain) -> anyhow::Result<()> {
        for i in 0..self.world.pilots.len() {
            self.enroll(chain, i)?;
            self.settle(chain, i)?;
        }
        Ok(())
    }

    fn enroll(&mut self, chain: &mut Chain, i: usize) -> anyhow::Result<()> {
        let Some(pilot) = self.world.pilots.get(i).cloned() else {
            return Ok(());
        };
        if pilot.closed {
            return Ok(());
        }
        for p in 0..self.actors.providers.len() {
            if pilot.requested.contains(&p) || !self.flip(0.2) {
                continue;
            }
            let Some(provider) = self.actors.providers.get(p).cloned() else {
                continue;
            };
            let call = Call::new("pip", &ExecuteMsg::Enroll(PilotRef { pilot_id: pilot.id }))?;
            let outcome = self.send(chain, &provider, vec![call], "pip.enroll")?;
            if let Some(model) = self.world.pilots.get_mut(i) {
                model.requested.push(p);
            }
            if outcome.code != 0 {
                continue;
            }
            let admin = self.actors.pilot_admin.clone();
            let call = Call::new(
                "pip",
                &ExecuteMsg::Approve(EnrollmentRef {
                    pilot_id: pilot.id,
                    provider: provider.addr.to_string(),
                }),
            )?;
            self.send(chain, &admin, vec![call], "pip.approve")?;
        }
        Ok(())
    }

    fn settle(&mut self, chain: &mut Chain, i: usize) -> anyhow::Result<()> {
        let Some(pilot) = self.world.pilots.get(i).cloned() else {
            return Ok(());
        };
        if pilot.closed {
            return Ok(());
        }
        let (height, _) = Self::now(chain);
        let keeper = self.actors.keeper.clone();
        if pilot.next_epoch < pilot.epochs {
            let epoch_end =
                (pilot.start + u64::from(pilot.next_epoch + 1) * pilot.epoch_length).min(pilot.end);
            if height <= epoch_end {
                return Ok(());
            }
            self.ensure_price(chain)?;
            let call = Call::new(
                "pip",
                &ExecuteMsg::SettleEpoch {
                    pilot_id: pilot.id,
                    epoch: pilot.next_epoch,
                    limit: Some(30),
                },
            )?;
            let outcome = self.send_simulated(chain, &keeper, vec![call], "pip.settle")?;
            if !outcome.catalogued::<ev::EpochCompleted>().is_empty() {
                if let Some(model) = self.world.pilots.get_mut(i) {
                    model.next_epoch += 1;
                }
            }
        } else if height > pilot.end {
            let call = Call::new(
                "pip",
                &ExecuteMsg::Finalize(PilotRef { pilot_id: pilot.id }),
            )?;
            let outcome = self.send(chain, &keeper, vec![call], "pip.finalize")?;
            if let Some(model) = self.world.pilots.get_mut(i) {
                model.closed = outcome.code == 0;
            }
        }
        Ok(())
    }
}
