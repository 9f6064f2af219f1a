//! `indexer`: thin entry point; everything is in the library.

use clap::Parser;

/// mimalloc rather than glibc's allocator: a GraphQL page allocates a few values per field, and
/// under 200 concurrent clients glibc's arenas cost a third of the request time (`--bench api`:
/// an account page's p50 went from 44-64 ms to 32-35 ms).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    indexer::cli::main(indexer::cli::Cli::parse())
}
