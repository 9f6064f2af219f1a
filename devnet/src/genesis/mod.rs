//! Genesis as governance would do it: a proposal stores every artifact (`MsgStoreCode`, upload
//! by the gov module only), a second proposal instantiates the suite with
//! `MsgInstantiateContract2` exactly as `gov_proposal::suite::plan_suite` plans it, and the
//! contracts must then sit at the predicted addresses.

mod proposal;
mod suite;

pub use proposal::{pass_proposal, PassedProposal};
pub use suite::{deploy_suite, deploy_suite_with, read_artifact, Suite, SuiteOptions, CONTRACTS};
