//! cw-multi-test fixtures shared by the contracts' own integration tests (`contracts/*/tests`).
