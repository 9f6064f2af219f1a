//! Runs the `wasm-check` binary the way scripts/test.sh does. Having this integration test also
//! makes `cargo test --workspace` build `target/debug/wasm-check`, which test.sh then reuses.

use std::path::Path;
use std::process::{Command, Output};

const CONTRACT: &str = r#"(module
  (memory (export "memory") 1)
  (func (export "interface_version_8"))
  (func (export "allocate") (param i32) (result i32) i32.const 0)
  (func (export "deallocate") (param i32))
  (func (export "instantiate") (param i32 i32 i32) (result i32) i32.const 0))"#;

const BULK: &str = r#"(module
  (memory (export "memory") 1)
  (func (export "interface_version_8"))
  (func (export "allocate") (param i32) (result i32) i32.const 0)
  (func (export "deallocate") (param i32))
  (func (export "instantiate") (param i32 i32 i32) (result i32)
    (memory.fill (i32.const 0) (i32.const 0) (i32.const 4))
    i32.const 0))"#;

fn write_wasm(dir: &Path, name: &str, wat_text: &str) -> String {
    let bytes = wat::parse_str(wat_text).unwrap();
    std::fs::write(dir.join(name), &bytes).unwrap();
    wasm_check::sha256_hex(&bytes)
}

fn run(args: &[&str], cwd: &Path) -> (i32, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = Command::new(env!("CARGO_BIN_EXE_wasm-check"))
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&stdout),
        String::from_utf8_lossy(&stderr)
    );
    (status.code().unwrap_or(-1), text)
}

#[test]
fn default_directory_passes_and_reports_fields() {
    let tmp = tempfile::tempdir().unwrap();
    let artifacts = tmp.path().join("artifacts");
    std::fs::create_dir(&artifacts).unwrap();
    let hash = write_wasm(&artifacts, "good.wasm", CONTRACT);
    std::fs::write(artifacts.join("notes.txt"), "ignored").unwrap();

    let (code, out) = run(&[], tmp.path());
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("good.wasm"), "{out}");
    assert!(out.contains(&hash), "{out}");
    assert!(out.contains("PASS"), "{out}");
    assert!(out.contains("1 artifact(s), 1 passed, 0 failed"), "{out}");
}

#[test]
fn a_failing_artifact_makes_the_exit_status_non_zero() {
    let tmp = tempfile::tempdir().unwrap();
    write_wasm(tmp.path(), "good.wasm", CONTRACT);
    write_wasm(tmp.path(), "raw.wasm", BULK);

    let (code, out) = run(&["."], tmp.path());
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("bulk memory support is not enabled"), "{out}");
    assert!(out.contains("2 artifact(s), 1 passed, 1 failed"), "{out}");

    let (code, out) = run(&["good.wasm"], tmp.path());
    assert_eq!(code, 0, "{out}");
}

#[test]
fn checksum_files_are_verified_both_ways() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let hash = write_wasm(dir, "good.wasm", CONTRACT);

    std::fs::write(dir.join("checksums.txt"), format!("{hash}  good.wasm\n")).unwrap();
    let (code, out) = run(&["--checksums", "checksums.txt", "."], dir);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("checksums: OK"), "{out}");

    let wrong = "0".repeat(64);
    std::fs::write(dir.join("checksums.txt"), format!("{wrong}  good.wasm\n")).unwrap();
    let (code, out) = run(&["--checksums", "checksums.txt", "."], dir);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("checksum mismatch for good.wasm"), "{out}");

    // Listed but missing, and present but unlisted.
    std::fs::write(dir.join("checksums.txt"), format!("{hash}  gone.wasm\n")).unwrap();
    let (code, out) = run(&["--checksums", "checksums.txt", "."], dir);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("lists gone.wasm but the file is missing"),
        "{out}"
    );
    assert!(out.contains("good.wasm is not listed"), "{out}");
}

#[test]
fn usage_errors_exit_with_two() {
    let tmp = tempfile::tempdir().unwrap();
    let (code, out) = run(&["."], tmp.path());
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("no .wasm files"), "{out}");

    let (code, out) = run(&["--bogus"], tmp.path());
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("unknown option --bogus"), "{out}");
}
