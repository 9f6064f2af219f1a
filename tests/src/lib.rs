//! The whole contract suite in one cw-multi-test App, on native Rust or on the compiled wasm.
