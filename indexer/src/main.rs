//! `indexer`: thin entry point; everything is in the library.

use clap::Parser;

fn main() -> std::process::ExitCode {
    indexer::cli::main(indexer::cli::Cli::parse())
}
