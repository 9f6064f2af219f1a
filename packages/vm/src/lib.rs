//! Compiled contracts in cosmwasm-vm, behind cw-multi-test's `Contract` trait.
