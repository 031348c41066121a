//! The binary's command line, run as a user would run it.
use std::process::Command;

fn meritest(data_dir: &std::path::Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_meritest"));
    cmd.current_dir(data_dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("MERITEST__DATA_DIR", data_dir.join("data"))
        .env("MERITEST__LOG__LEVEL", "warn");
    cmd
}

#[test]
fn help_lists_every_sub_command() {
    let dir = tempfile::tempdir().unwrap();
    let out = meritest(dir.path()).arg("--help").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for sub in [
        "serve",
        "migrate",
        "seed-demo",
        "create-organisation",
        "import-instrument",
    ] {
        assert!(text.contains(sub), "--help names {sub}:\n{text}");
    }
}

#[test]
fn migrate_creates_the_embedded_database_in_the_data_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = meritest(dir.path()).arg("migrate").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().trim(),
        "migrations applied"
    );
    assert!(dir.path().join("data/meritest.db").is_file());
}

#[test]
fn an_invalid_instrument_file_is_refused_by_the_command_line_naming_item_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.json");
    let mut doc = crate::helpers::sample_instrument("CLI-BAD", 1);
    doc["items"][1]["key"] = serde_json::json!("z");
    std::fs::write(&file, doc.to_string()).unwrap();
    let out = meritest(dir.path())
        .args(["import-instrument", "--organisation", "demo", "--dry-run"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("NS-1 items[1].key:"), "{err}");
    assert!(err.contains("nothing was imported"), "{err}");
    assert!(
        !dir.path().join("data/meritest.db").exists(),
        "a refused file opens no database"
    );
}
