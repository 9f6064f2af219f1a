//! Every integration test of `tests`, linked into one binary.

mod act_lease;
mod flow_governance;
mod flow_oracle_halt;
mod flow_overdraw;
mod flow_pip;
mod flow_reservation_act;
mod griefing_bme;
mod griefing_escrow;
mod griefing_pip;
mod migrate_v010;
