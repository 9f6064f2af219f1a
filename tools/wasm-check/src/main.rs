//! `wasm-check`: runs the chain's upload checks on contract artifacts (see the library docs).
//!
//! ```text
//! wasm-check [--checksums FILE]... [--capabilities CSV] [PATH]...
//! ```
//!
//! Each PATH is a `.wasm` file or a directory whose `*.wasm` files are checked (not recursive);
//! the default is `artifacts/`. Exit status: 0 all passed, 1 a check failed, 2 usage or I/O error.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context as _};
use wasm_check::{parse_checksums, sha256_hex, Checker, AKASH_CAPABILITIES};

const USAGE: &str = "\
usage: wasm-check [--checksums FILE]... [--capabilities CSV] [PATH]...

Runs wasmd's size limit and cosmwasm-vm 3.0.10's static checks (with Akash's capabilities)
on each artifact and prints name, size, sha256, required capabilities and PASS/FAIL.

  PATH                 a .wasm file, or a directory whose *.wasm files are checked
                       (not recursive); default: artifacts/
  --checksums FILE     verify a sha256sum-format file: every entry must exist and match,
                       and every checked artifact must be listed in one of the given files
                       (repeatable; names are relative to the file's directory)
  --capabilities CSV   capabilities offered to contracts instead of Akash's set
  -h, --help           this text

exit status: 0 all passed, 1 a check failed, 2 usage or I/O error";

struct Args {
    paths: Vec<PathBuf>,
    checksum_files: Vec<PathBuf>,
    capabilities: Option<Vec<String>>,
}

fn parse_args() -> anyhow::Result<Option<Args>> {
    let mut args = Args {
        paths: Vec::new(),
        checksum_files: Vec::new(),
        capabilities: None,
    };
    let mut it = std::env::args_os().skip(1);
    while let Some(arg) = it.next() {
        match arg.to_str() {
            Some("-h" | "--help") => return Ok(None),
            Some("--checksums") => {
                let file = it.next().context("--checksums needs a file")?;
                args.checksum_files.push(file.into());
            }
            Some("--capabilities") => {
                let csv = it
                    .next()
                    .context("--capabilities needs a comma-separated list")?;
                let csv = csv.to_str().context("--capabilities: not UTF-8")?;
                args.capabilities = Some(
                    csv.split(',')
                        .map(str::trim)
                        .filter(|c| !c.is_empty())
                        .map(str::to_string)
                        .collect(),
                );
            }
            Some(flag) if flag.starts_with('-') && flag != "-" => bail!("unknown option {flag}"),
            _ => args.paths.push(arg.into()),
        }
    }
    if args.paths.is_empty() {
        args.paths.push(PathBuf::from("artifacts"));
    }
    Ok(Some(args))
}

/// Expands directories into their `*.wasm` files (sorted by name).
fn collect_artifacts(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(path)
                .with_context(|| format!("reading {}", path.display()))?
                .filter_map(|entry| entry.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && p.extension().is_some_and(|ext| ext == "wasm"))
                .collect();
            if found.is_empty() {
                bail!(
                    "no .wasm files in {} (run scripts/build-wasm.sh first)",
                    path.display()
                );
            }
            found.sort();
            files.extend(found);
        } else if path.is_file() {
            files.push(path.clone());
        } else {
            bail!("{}: no such file or directory", path.display());
        }
    }
    Ok(files)
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Verifies the checksum files against the disk and the checked artifacts. Returns the problems.
fn verify_checksums(
    checksum_files: &[PathBuf],
    checked: &BTreeMap<PathBuf, String>,
) -> anyhow::Result<Vec<String>> {
    let mut problems = Vec::new();
    let mut listed = BTreeSet::new();
    for list in checksum_files {
        let text = std::fs::read_to_string(list)
            .with_context(|| format!("reading checksum file {}", list.display()))?;
        let entries =
            parse_checksums(&text).with_context(|| format!("parsing {}", list.display()))?;
        let base = list.parent().unwrap_or(Path::new("."));
        for entry in entries {
            let path = canonical(&base.join(&entry.file));
            let actual = match checked.get(&path) {
                Some(hash) => Some(hash.clone()),
                None => std::fs::read(&path).ok().map(|bytes| sha256_hex(&bytes)),
            };
            match actual {
                None => problems.push(format!(
                    "{}: lists {} but the file is missing",
                    list.display(),
                    entry.file
                )),
                Some(actual) if actual != entry.sha256 => problems.push(format!(
                    "{}: checksum mismatch for {}: file has {actual}, list says {}",
                    list.display(),
                    entry.file,
                    entry.sha256
                )),
                Some(_) => {}
            }
            listed.insert(path);
        }
    }
    for path in checked.keys() {
        if !listed.contains(path) {
            problems.push(format!(
                "{} is not listed in any checksum file",
                path.display()
            ));
        }
    }
    Ok(problems)
}

fn run(args: Args) -> anyhow::Result<bool> {
    let started = Instant::now();
    let checker = match &args.capabilities {
        Some(caps) => Checker::with_capabilities(caps.iter().cloned())?,
        None => Checker::akash()?,
    };
    let capabilities = checker.capabilities().iter().cloned().collect::<Vec<_>>();
    let label = if args.capabilities.is_none() && capabilities.len() == AKASH_CAPABILITIES.len() {
        "Akash"
    } else {
        "custom"
    };
    println!(
        "wasm-check (cosmwasm-vm 3.0.10, {label} capabilities: {})",
        capabilities.join(",")
    );

    let files = collect_artifacts(&args.paths)?;
    let mut failed = 0usize;
    let mut checked = BTreeMap::new();
    for file in &files {
        let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
        let report = checker.check(&file.display().to_string(), &bytes);
        println!("\n{report}");
        if !report.passed() {
            failed += 1;
        }
        checked.insert(canonical(file), report.sha256.clone());
    }

    let mut checksum_ok = true;
    if !args.checksum_files.is_empty() {
        let problems = verify_checksums(&args.checksum_files, &checked)?;
        let names: Vec<String> = args
            .checksum_files
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        if problems.is_empty() {
            println!("\nchecksums: OK ({})", names.join(", "));
        } else {
            checksum_ok = false;
            println!("\nchecksums: FAIL ({})", names.join(", "));
            for problem in &problems {
                println!("  - {problem}");
            }
        }
    }

    println!(
        "\nwasm-check: {} artifact(s), {} passed, {failed} failed{} in {:.2} s",
        files.len(),
        files.len() - failed,
        if checksum_ok {
            ""
        } else {
            ", checksums FAILED"
        },
        started.elapsed().as_secs_f64()
    );
    Ok(failed == 0 && checksum_ok)
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("wasm-check: {e:#}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("wasm-check: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
