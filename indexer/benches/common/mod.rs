//! What both benchmarks share: the server's allocator and the `--only LABEL` argument.

/// The allocator the `indexer` binary runs with, so that in-process figures are the server's.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The label after `--only`, when given: measure that one input or figure (for iterating on it).
pub fn only() -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == "--only")
        .and_then(|i| args.get(i + 1))
        .cloned()
}
