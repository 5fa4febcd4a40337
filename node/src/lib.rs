//! The parts of the Paychain node that stand on their own, with their unit tests. The binary
//! (`main.rs`) uses them; its own modules are tested through the running node (the end-to-end tests in `tests/e2e`).

#![warn(missing_docs)]

pub mod gossip;
pub mod handoff;
pub mod proposer;
pub mod revalidation;
