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

/// Asserts the command succeeded, showing what it wrote to stderr when it did not.
fn succeeded(out: &std::process::Output) {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
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
        "irt",
        "cat",
    ] {
        assert!(text.contains(sub), "--help names {sub}:\n{text}");
    }
}

#[test]
fn migrate_creates_the_embedded_database_in_the_data_folder() {
    let dir = tempfile::tempdir().unwrap();
    let out = meritest(dir.path()).arg("migrate").output().unwrap();
    succeeded(&out);
    assert_eq!(
        String::from_utf8(out.stdout).unwrap().trim(),
        "migrations applied"
    );
    assert!(dir.path().join("data/meritest.db").is_file());
}

/// Runs `serve`, which must give up at start: a server still running after 15 s fails the test
/// (and is stopped) instead of hanging it. Returns what it wrote to stderr.
fn serve_must_refuse(mut cmd: Command) -> String {
    use std::process::Stdio;
    let mut child = cmd
        .arg("serve")
        .env("MERITEST__SERVER__PORT", "0")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            child.kill().unwrap();
            panic!("the server started");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    assert!(!out.status.success());
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn the_server_does_not_start_on_a_weak_or_empty_signing_secret() {
    let dir = tempfile::tempdir().unwrap();
    let mut weak = meritest(dir.path());
    weak.env("MERITEST__AUTH__SECRET", "x");
    let err = serve_must_refuse(weak);
    assert!(
        err.contains("MERITEST__AUTH__SECRET") && err.contains("too weak"),
        "{err}"
    );

    // An empty key file (a failed write, a truncation) is not signed with either.
    std::fs::create_dir_all(dir.path().join("data")).unwrap();
    std::fs::write(dir.path().join("data/secret.key"), "").unwrap();
    let err = serve_must_refuse(meritest(dir.path()));
    assert!(
        err.contains("secret.key") && err.contains("too weak"),
        "{err}"
    );
}

#[test]
fn an_explicit_sqlite_url_to_a_new_file_creates_it() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("elsewhere/new.db");
    let out = meritest(dir.path())
        .env(
            "MERITEST__DATABASE__URL",
            format!("sqlite://{}", file.display()),
        )
        .arg("migrate")
        .output()
        .unwrap();
    succeeded(&out);
    assert!(file.is_file());
}

#[test]
fn a_given_administrator_password_is_not_echoed_but_a_generated_one_is_shown_once() {
    let dir = tempfile::tempdir().unwrap();
    let given = "Rahasia-Sekali-2026";
    let out = meritest(dir.path())
        .args([
            "create-organisation",
            "--code",
            "bkd-jabar",
            "--name",
            "BKD Jawa Barat",
            "--admin-email",
            "admin@bkd.example.go.id",
            "--admin-password",
            given,
        ])
        .output()
        .unwrap();
    succeeded(&out);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("admin@bkd.example.go.id"), "{text}");
    assert!(!text.contains(given), "{text}");
    assert!(text.contains("(the one given)"), "{text}");

    let out = meritest(dir.path())
        .args([
            "create-organisation",
            "--code",
            "bkd-jatim",
            "--name",
            "BKD Jawa Timur",
            "--admin-email",
            "admin@bkd-jatim.example.go.id",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("shown only this once"), "{text}");
    assert!(!text.contains("(the one given)"), "{text}");
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

#[test]
fn irt_score_reads_cases_from_a_file_or_stdin_and_prints_one_json_line_each() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let cases = serde_json::json!([
        {"model": "2PL", "items": [{"a": 1.0, "b": -1.0}, {"a": 1.5, "b": 0.0}, {"a": 0.8, "b": 1.0}],
         "responses": [1, 1, 0], "method": "eap"},
        {"model": "2PL", "items": [{"a": 1.0, "b": 0.0}], "responses": [0], "method": "mle"}
    ]);
    let file = dir.path().join("cases.json");
    std::fs::write(&file, cases.to_string()).unwrap();
    let out = meritest(dir.path())
        .args(["irt", "score"])
        .arg(&file)
        .output()
        .unwrap();
    succeeded(&out);
    let lines: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    // Worked from the definitions: EAP over 61 points on −4…4 with a standard normal prior.
    assert!((lines[0]["theta"].as_f64().unwrap() - 0.478287).abs() < 1e-4);
    assert!((lines[0]["se"].as_f64().unwrap() - 0.627655).abs() < 1e-4);
    assert_eq!(lines[1]["error"]["code"], "mle_undefined");
    // One case on standard input; something that is not JSON is refused with status 2.
    let mut child = meritest(dir.path())
        .args(["irt", "score"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(br#"{"model": "1PL", "items": [{"b": 0}, {"b": 0}], "responses": [1, 0], "method": "mle"}"#)
        .unwrap();
    let out = child.wait_with_output().unwrap();
    succeeded(&out);
    let one: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(one["theta"].as_f64().unwrap().abs() < 1e-6);
    assert!((one["se"].as_f64().unwrap() - 0.830910).abs() < 1e-5);
    let mut child = meritest(dir.path())
        .args(["irt", "score"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"not json").unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(err["error"]["code"], "invalid_json");
}

#[test]
fn cat_pool_then_cat_simulate_print_the_figures_of_an_adaptive_test() {
    let dir = tempfile::tempdir().unwrap();
    let pool = dir.path().join("pool.json");
    let out = meritest(dir.path())
        .args([
            "cat",
            "pool",
            "--items",
            "60",
            "--seed",
            "3",
            "--tags",
            "verbal,numerical",
            "--out",
        ])
        .arg(&pool)
        .output()
        .unwrap();
    succeeded(&out);
    let file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&pool).unwrap()).unwrap();
    assert_eq!(file["model"], "2PL");
    assert_eq!(file["items"].as_array().unwrap().len(), 60);
    assert_eq!(file["items"][1]["content"], "numerical");

    let with_sh = dir.path().join("pool-sh.json");
    let out = meritest(dir.path())
        .args(["cat", "simulate", "--pool"])
        .arg(&pool)
        .args([
            "--simulees",
            "150",
            "--seed",
            "5",
            "--min-items",
            "4",
            "--max-items",
            "12",
            "--se",
            "0.35",
            "--exposure",
            "sh",
            "--sh-rate",
            "0.4",
            "--sh-rounds",
            "3",
            "--content",
            "verbal=0.5,numerical=0.5",
            "--write-sh",
        ])
        .arg(&with_sh)
        .output()
        .unwrap();
    succeeded(&out);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["simulees"], 150);
    assert_eq!(report["pool_size"], 60);
    assert_eq!(report["rule_version"], "meritest.cat.v1");
    assert_eq!(report["config"]["exposure"]["kind"], "sympson_hetter");
    assert_eq!(report["sympson_hetter"]["source"], "derived");
    let (min, max) = (
        report["min_length"].as_u64().unwrap(),
        report["max_length"].as_u64().unwrap(),
    );
    assert!(4 <= min && max <= 12, "{report}");
    let mean = report["mean_length"].as_f64().unwrap();
    assert!((4.0..=12.0).contains(&mean), "{report}");
    let rmse = report["rmse"].as_f64().unwrap();
    assert!(rmse > 0.0 && rmse < 0.8, "{report}");
    let exposure = report["max_exposure"].as_f64().unwrap();
    assert!(exposure > 0.0 && exposure <= 1.0, "{report}");
    let overlap = report["overlap_rate"].as_f64().unwrap();
    assert!(overlap > 0.0 && overlap <= 1.0, "{report}");
    assert!((report["mean_exposure"].as_f64().unwrap() - mean / 60.0).abs() < 1e-9);
    let bands = report["by_theta"].as_array().unwrap();
    assert_eq!(bands.len(), 6);
    assert_eq!(
        bands.iter().map(|b| b["n"].as_u64().unwrap()).sum::<u64>(),
        150
    );
    assert!(report["items_never_used"].as_u64().unwrap() < 60);
    assert!(report["elapsed_seconds"].as_f64().unwrap() >= 0.0);
    // The written pool carries a K per item, at most 1, and simulates to the same figures.
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&with_sh).unwrap()).unwrap();
    assert!(written["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| (0.0..=1.0).contains(&i["sh_k"].as_f64().unwrap())));
    let out = meritest(dir.path())
        .args(["cat", "simulate", "--pool"])
        .arg(&with_sh)
        .args([
            "--simulees",
            "150",
            "--seed",
            "5",
            "--min-items",
            "4",
            "--max-items",
            "12",
            "--se",
            "0.35",
            "--exposure",
            "sh",
            "--content",
            "verbal=0.5,numerical=0.5",
        ])
        .output()
        .unwrap();
    succeeded(&out);
    let again: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(again["sympson_hetter"]["source"], "pool");
    assert_eq!(again["rmse"], report["rmse"]);
    assert_eq!(again["max_exposure"], report["max_exposure"]);
}

#[test]
fn cat_simulate_refuses_a_bad_pool_or_setting_with_a_code_and_status_2() {
    let dir = tempfile::tempdir().unwrap();
    let run = |pool: serde_json::Value, extra: &[&str]| {
        let file = dir.path().join("pool.json");
        std::fs::write(&file, pool.to_string()).unwrap();
        let out = meritest(dir.path())
            .args(["cat", "simulate", "--pool"])
            .arg(&file)
            .args(["--simulees", "10", "--seed", "1"])
            .args(extra)
            .output()
            .unwrap();
        assert_eq!(
            out.status.code(),
            Some(2),
            "{}",
            String::from_utf8_lossy(&out.stdout)
        );
        let err: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        err["error"].clone()
    };
    let items: Vec<_> = (0..30)
        .map(|k| serde_json::json!({"id": format!("i{k}"), "a": if k == 7 { -1.0 } else { 1.0 }, "b": 0.0}))
        .collect();
    let err = run(serde_json::json!({"model": "2PL", "items": items}), &[]);
    assert_eq!(err["code"], "invalid_pool");
    assert!(
        err["message"]
            .as_str()
            .unwrap()
            .contains("items[7]: a must be"),
        "{err}"
    );

    let items: Vec<_> = (0..10)
        .map(|k| serde_json::json!({"id": format!("i{k}"), "b": 0.0}))
        .collect();
    let small = serde_json::json!({"model": "2PL", "items": items});
    assert_eq!(run(small.clone(), &[])["code"], "pool_too_small");
    assert_eq!(
        run(
            small.clone(),
            &["--max-items", "8", "--exposure", "random:3"]
        )["code"],
        "invalid_cat_config"
    );
    assert_eq!(
        run(small, &["--max-items", "8", "--write-sh", "x.json"])["code"],
        "invalid_cat_config"
    );
}

#[test]
fn irt_calibrate_recovers_a_simulated_file_and_prints_one_json_object() {
    let dir = tempfile::tempdir().unwrap();
    let truth = dir.path().join("truth.json");
    let out = meritest(dir.path())
        .args([
            "irt",
            "simulate-responses",
            "--model",
            "2PL",
            "--persons",
            "400",
            "--items",
            "6",
            "--seed",
            "7",
            "--truth",
        ])
        .arg(&truth)
        .output()
        .unwrap();
    succeeded(&out);
    let csv = String::from_utf8(out.stdout).unwrap();
    assert_eq!(csv.lines().next(), Some("I1,I2,I3,I4,I5,I6"));
    assert_eq!(csv.lines().count(), 401);
    let file = dir.path().join("responses.csv");
    std::fs::write(&file, &csv).unwrap();
    let out = meritest(dir.path())
        .args(["irt", "calibrate", "--model", "2PL", "--truth"])
        .arg(&truth)
        .arg(&file)
        .output()
        .unwrap();
    succeeded(&out);
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["model"], "2PL");
    assert_eq!(report["D"], 1.702);
    assert_eq!(report["respondents"], 400);
    assert_eq!(report["convergence"]["converged"], true);
    let items = report["items"].as_array().unwrap();
    assert_eq!(items.len(), 6);
    assert_eq!(items[5]["code"], "I6");
    for item in items {
        assert!(item["a"].as_f64().unwrap() > 0.0, "{item}");
        assert!(item["se"]["b"].as_f64().unwrap() > 0.0, "{item}");
        assert!(item["fit"]["p"].is_number(), "{item}");
    }
    assert!(
        report["recovery"]["rmse"]["b"].as_f64().unwrap() < 0.3,
        "{report}"
    );
}

/// Runs `irt calibrate --model MODEL` on `csv`, which must be refused with status 2; returns the
/// error object.
fn calibrate_must_refuse(model: &str, csv: &str) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("responses.csv");
    std::fs::write(&file, csv).unwrap();
    let out = meritest(dir.path())
        .args(["irt", "calibrate", "--model", model])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()["error"].clone()
}

#[test]
fn irt_calibrate_refuses_an_item_everyone_got_right_and_too_few_people() {
    let mut csv = String::from("Q1,Q2,EASY\n");
    for i in 0..150 {
        csv.push_str(&format!("{},{},1\n", i % 2, (i / 2) % 2));
    }
    let err = calibrate_must_refuse("2PL", &csv);
    assert_eq!(err["code"], "no_variance");
    assert!(
        err["message"].as_str().unwrap().contains("item EASY"),
        "{err}"
    );

    let few: String = std::iter::once("Q1,Q2\n".to_owned())
        .chain((0..40).map(|i| format!("{},{}\n", i % 2, (i / 3) % 2)))
        .collect();
    let err = calibrate_must_refuse("2PL", &few);
    assert_eq!(err["code"], "too_few_respondents");
    assert!(
        err["message"].as_str().unwrap().contains("40 people"),
        "{err}"
    );

    assert_eq!(calibrate_must_refuse("4PL", &few)["code"], "invalid_input");
    assert_eq!(
        calibrate_must_refuse("2PL", "Q1,Q2\n1,0\n1\n")["code"],
        "invalid_responses"
    );
}
