//! Degrade, don't stop (issue 15, item 5): while the live store is down (every call unanswered,
//! as a Redis whose process died), candidates go on answering, reading their section and
//! signalling, and staff go on working, answered from the database after one short wait; every
//! acknowledged answer is stored; `/metrics` says the node is degraded; once the store is back the
//! next calls use it again.
use std::time::Duration;

use serde_json::{json, Value};

use crate::helpers::{
    answer, candidate, choice_items, login, setup, start, the_attempt, TestApp, DEMO_PASSWORD, NIP,
};

fn choose(section: &Value, i: usize, seq: i64) -> Value {
    let item = &section["items"][i];
    json!({"section": 0, "item": item["id"], "response": {"choice": item["options"][0]["id"]}, "seq": seq})
}

/// A node whose live store the test can take down: each call waits 200 ms for it, and after a
/// failure the breaker stays open for 400 ms.
async fn with_a_live_store_that_can_fail() -> (TestApp, crate::helpers::Faults) {
    TestApp::spawn_with_faults_and(|s| {
        s.live.call_timeout_ms = 200;
        s.live.retry_after_ms = 400;
    })
    .await
}

#[tokio::test]
async fn candidates_keep_answering_while_the_live_store_is_down_and_its_fast_path_returns_after() {
    let (app, faults) = with_a_live_store_that_can_fail().await;
    let s = setup(&app, &[("NUM-SERIES", 600)], false).await;
    let token = candidate(&app, &s.code).await;
    let proctor = app.token("proctor@demo.meritest.id", DEMO_PASSWORD).await;
    let section = start(&app, &token, 0).await;
    assert_eq!(
        answer(&app, &token, choose(&section, 0, 1)).await.status(),
        200
    );
    assert_eq!(app.metric("live_store_degraded").await, 0.0);

    faults.take_down();
    for i in 1..6 {
        let res = answer(&app, &token, choose(&section, i, i as i64 + 1)).await;
        assert_eq!(res.status(), 200, "answer {i} while the live store is down");
    }
    let view: Value = app
        .get("/api/v1/candidate/sections/0", &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(view["responses"].as_object().unwrap().len(), 6);
    let signal = app
        .post_json(
            "/api/v1/candidate/events",
            &token,
            &json!({"signal": "paste"}),
        )
        .await;
    assert_eq!(signal.status(), 204);
    // Staff too: the token's revocation is checked in the database.
    let room = app
        .get(
            &format!("/api/v1/proctoring/sessions/{}/room", s.session),
            &proctor,
        )
        .await;
    assert_eq!(room.status(), 200);
    assert_eq!(app.metric("live_store_degraded").await, 1.0);
    // Still ready (a load balancer keeps the node), and says how.
    let ready = app.client.get(app.url("/ready")).send().await.unwrap();
    assert_eq!(ready.status(), 200);
    let ready: Value = ready.json().await.unwrap();
    assert_eq!(
        (ready["ready"].clone(), ready["degraded"].clone()),
        (json!(true), json!(true))
    );
    assert!(
        ready["live_store"]
            .as_str()
            .unwrap()
            .starts_with("degraded: "),
        "{ready}"
    );
    assert!(app.metric("live_store_errors_total").await >= 1.0);
    assert!(app.metric("live_store_short_circuited_total").await >= 1.0);
    use sea_orm::EntityTrait;
    let stored = meritest::store::entities::response::Entity::find()
        .all(&app.ctx.db)
        .await
        .unwrap();
    assert_eq!(stored.len(), 6, "every acknowledged answer is stored");

    // The store is back: after the breaker's period the next answer uses it again, and the
    // attempt's live state is written there once more.
    faults.heal();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let errors = app.metric("live_store_errors_total").await;
    assert_eq!(
        answer(&app, &token, choose(&section, 6, 7)).await.status(),
        200
    );
    assert_eq!(
        app.metric("live_store_errors_total").await,
        errors,
        "no new failure"
    );
    let id = the_attempt(&app).await.id.to_string();
    assert!(app.ctx.live.get_attempt(&id).await.unwrap().is_some());
    assert_eq!(app.metric("live_store_degraded").await, 0.0);
}

#[tokio::test]
async fn sign_in_goes_on_while_the_live_store_is_down_and_its_limits_still_hold_on_the_node() {
    let (app, faults) = with_a_live_store_that_can_fail().await;
    let guessed = setup(&app, &[("NUM-SERIES", 600)], false).await;
    let arriving = setup(&app, &[("NUM-SERIES", 600)], false).await;
    faults.take_down();
    // A candidate arriving now signs in and starts; so does a proctor.
    let token = candidate(&app, &arriving.code).await;
    start(&app, &token, 0).await;
    let res = app.login("proctor@demo.meritest.id", DEMO_PASSWORD).await;
    assert_eq!(res.status(), 200);
    // Guessing is still limited: the sixth wrong NIP with one code is refused, and then the
    // right one too, as when the store is up.
    for i in 0..5 {
        let res = login(
            &app,
            json!({"code": guessed.code, "nip": "199001012015031002"}),
        )
        .await;
        assert_eq!(res.status(), 401, "wrong NIP {i}");
    }
    let res = login(&app, json!({"code": guessed.code, "nip": NIP})).await;
    assert_eq!(res.status(), 429);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "too_many_requests");
    assert_eq!(app.metric("live_store_degraded").await, 1.0);
}

/// Every acknowledged answer is stored: each item (by its index in `section`) keeps the last
/// sequence number acknowledged for it, as the candidate's own section read shows, and the
/// database holds no other answer.
async fn assert_each_item_keeps_its_last_answer(
    app: &TestApp,
    token: &str,
    section: &Value,
    acknowledged: &std::collections::BTreeMap<usize, i64>,
) {
    use sea_orm::EntityTrait;
    let rows = meritest::store::entities::response::Entity::find()
        .all(&app.ctx.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), acknowledged.len());
    let view: Value = app
        .get("/api/v1/candidate/sections/0", token)
        .await
        .json()
        .await
        .unwrap();
    for (i, seq) in acknowledged {
        let handle = section["items"][*i]["id"].as_str().unwrap();
        assert_eq!(
            view["responses"][handle]["seq"], *seq,
            "item {i} keeps its last acknowledged answer"
        );
    }
}

/// A port nothing listens on now.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A Redis of this test's own (the shared one serves the other tests), with its append-only file
/// in `dir`, on `port`.
struct PrivateRedis {
    dir: tempfile::TempDir,
    port: u16,
    child: std::process::Child,
}

impl PrivateRedis {
    async fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let child = Self::spawn(dir.path(), port).await;
        Self { dir, port, child }
    }

    async fn spawn(dir: &std::path::Path, port: u16) -> std::process::Child {
        let child = std::process::Command::new("redis-server")
            .args([
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
            ])
            .args(["--appendonly", "yes", "--appendfsync", "always"])
            .arg("--dir")
            .arg(dir)
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("redis-server must be installed (tests/run-all.sh installs it)");
        let client = redis::Client::open(format!("redis://127.0.0.1:{port}")).unwrap();
        for _ in 0..100 {
            if let Ok(mut c) = client.get_multiplexed_async_connection().await {
                if redis::cmd("PING")
                    .query_async::<String>(&mut c)
                    .await
                    .is_ok()
                {
                    return child;
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let mut child = child;
        let _ = child.kill();
        let _ = child.wait();
        panic!("the private redis-server did not start on port {port}");
    }

    fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// kill -9.
    fn kill(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// Starts again on the same port: on its append-only file, or on an emptied folder.
    async fn restart(&mut self, empty: bool) {
        if empty {
            for entry in std::fs::read_dir(self.dir.path()).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    std::fs::remove_dir_all(path).unwrap();
                } else {
                    std::fs::remove_file(path).unwrap();
                }
            }
        }
        self.child = Self::spawn(self.dir.path(), self.port).await;
    }
}

impl Drop for PrivateRedis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[tokio::test]
async fn redis_killed_mid_section_then_restarted_on_its_aof_and_empty_loses_no_acknowledged_answer()
{
    let mut redis = PrivateRedis::start().await;
    let url = redis.url();
    let app = TestApp::spawn_demo_with(move |s| {
        s.live.redis_url = Some(url.into());
        s.live.call_timeout_ms = 200;
        s.live.retry_after_ms = 300;
    })
    .await;
    let s = setup(&app, &[("NUM-SERIES", 600)], false).await;
    let token = candidate(&app, &s.code).await;
    let section = start(&app, &token, 0).await;
    // The single-choice items (the section also has typed numbers).
    let choices = choice_items(&section);
    let mut acknowledged: std::collections::BTreeMap<usize, i64> = Default::default();
    let mut slowest = Duration::ZERO;
    let mut seq = 0;
    // Answers the next few items (cycling through the section, each time a higher sequence);
    // every one must be acknowledged.
    let mut answer_some = |n: usize| {
        let mut out = Vec::new();
        for _ in 0..n {
            seq += 1;
            out.push(seq);
        }
        out
    };
    for phase in [
        "before",
        "killed",
        "restarted on its AOF",
        "restarted empty",
    ] {
        match phase {
            "killed" => redis.kill(),
            "restarted on its AOF" => redis.restart(false).await,
            "restarted empty" => {
                redis.kill();
                redis.restart(true).await;
            }
            _ => {}
        }
        for seq in answer_some(6) {
            let i = choices[(seq as usize - 1) % choices.len()];
            let started = std::time::Instant::now();
            let res = answer(&app, &token, choose(&section, i, seq)).await;
            slowest = slowest.max(started.elapsed());
            assert_eq!(res.status(), 200, "answer {seq} ({phase})");
            acknowledged.insert(i, seq);
        }
        // The section reads too.
        let view = app.get("/api/v1/candidate/sections/0", &token).await;
        assert_eq!(view.status(), 200, "section read ({phase})");
    }
    assert_each_item_keeps_its_last_answer(&app, &token, &section, &acknowledged).await;
    println!("slowest answer across the faults: {slowest:?}");
}

#[tokio::test]
async fn the_node_warns_when_the_database_would_not_keep_an_acknowledged_answer_through_a_crash() {
    use sea_orm::ConnectionTrait;
    let app = TestApp::spawn().await;
    assert_eq!(
        meritest::store::durability_warnings(&app.ctx.db)
            .await
            .unwrap(),
        Vec::<String>::new(),
        "the test databases commit durably"
    );
    // A connection of its own that commits without waiting for the disk.
    let db = meritest::store::connect(
        &app.database_url,
        1,
        Duration::from_secs(5),
        Duration::from_secs(5),
    )
    .await
    .unwrap();
    let (statement, setting) = match db.get_database_backend() {
        sea_orm::DatabaseBackend::Postgres => {
            ("SET synchronous_commit = off", "synchronous_commit")
        }
        _ => ("PRAGMA synchronous = OFF", "synchronous"),
    };
    db.execute_unprepared(statement).await.unwrap();
    let warnings = meritest::store::durability_warnings(&db).await.unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains(setting), "{warnings:?}");
    assert!(
        warnings[0].contains("may be lost in a crash"),
        "{warnings:?}"
    );
    assert!(!warnings[0].contains("  "), "one sentence: {warnings:?}");
}

#[tokio::test]
async fn the_node_warns_when_postgresql_would_never_refresh_its_statistics() {
    use sea_orm::ConnectionTrait;
    let app = TestApp::spawn().await;
    let warnings = meritest::store::maintenance_warnings(&app.ctx.db)
        .await
        .unwrap();
    match app.ctx.db.get_database_backend() {
        sea_orm::DatabaseBackend::Postgres => {
            // autovacuum is a server-wide setting: the warning must agree with the server.
            let row = app
                .ctx
                .db
                .query_one(sea_orm::Statement::from_string(
                    sea_orm::DatabaseBackend::Postgres,
                    "SELECT current_setting('autovacuum') AS v".to_owned(),
                ))
                .await
                .unwrap()
                .unwrap();
            let on = row.try_get::<String>("", "v").unwrap() == "on";
            assert_eq!(warnings.len(), usize::from(!on), "{warnings:?}");
            if !on {
                assert!(
                    warnings[0].starts_with("PostgreSQL autovacuum is off"),
                    "{warnings:?}"
                );
            }
        }
        _ => assert!(warnings.is_empty(), "{warnings:?}"),
    }
}

#[tokio::test]
async fn a_rolling_restart_of_both_nodes_mid_section_loses_no_answer() {
    use crate::helpers::started;
    let a = TestApp::spawn_demo().await;
    let b = a.second_node().await;
    let (_, token, section) = started(&a, &[("NUM-SERIES", 600)]).await;
    let choices = choice_items(&section);
    let body = |seq: i64| choose(&section, choices[(seq as usize - 1) % choices.len()], seq);
    // What the page does: send; when the node does not answer, send the same again elsewhere.
    let mut acknowledged = Vec::new();
    let send = |node: &TestApp, seq: i64| {
        let req = node
            .client
            .put(node.url("/api/v1/candidate/answers"))
            .bearer_auth(&token)
            .json(&body(seq));
        async move { req.send().await.map(|r| r.status().as_u16()) }
    };
    for seq in 1..=4 {
        assert_eq!(send(&a, seq).await.unwrap(), 200);
        acknowledged.push(seq);
    }
    // Node a stops, as SIGTERM stops it (without the drain: no balancer here), while five
    // answers are on their way to it.
    let in_flight: Vec<_> = (5..=9).map(|seq| tokio::spawn(send(&a, seq))).collect();
    meritest::startup::stop_node(&a.ctx, &a.handle, Duration::ZERO, std::future::pending()).await;
    for (seq, reply) in (5..=9).zip(in_flight) {
        match reply.await.unwrap() {
            Ok(200) => {}
            // Not answered: the page sends the same answer to the other node.
            Ok(status) if status != 200 => panic!("answer {seq} refused with {status}"),
            _ => assert_eq!(send(&b, seq).await.unwrap(), 200, "answer {seq} sent again"),
        }
        acknowledged.push(seq);
    }
    for seq in 10..=12 {
        assert_eq!(send(&b, seq).await.unwrap(), 200);
        acknowledged.push(seq);
    }
    // Then the other node restarts: a new node comes up, b stops.
    let c = b.second_node().await;
    b.handle.stop(true).await;
    for seq in 13..=15 {
        assert_eq!(send(&c, seq).await.unwrap(), 200);
        acknowledged.push(seq);
    }
    let mut last = std::collections::BTreeMap::new();
    for seq in acknowledged {
        last.insert(choices[(seq as usize - 1) % choices.len()], seq);
    }
    assert_each_item_keeps_its_last_answer(&c, &token, &section, &last).await;
    c.handle.stop(true).await;
}

/// A PostgreSQL cluster of this test's own (restarting the shared one would stop every other
/// test), in a temporary folder on a free port. As root it runs as the `postgres` user, since the
/// server refuses to run as root.
struct PrivatePostgres {
    dir: tempfile::TempDir,
    bin: std::path::PathBuf,
    port: u16,
    as_postgres: bool,
}

impl PrivatePostgres {
    fn start() -> Self {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .expect(
                "PostgreSQL's server programs must be installed (tests/run-all.sh installs them)",
            )
            .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
            .filter(|b| b.join("pg_ctl").exists())
            .max()
            .expect("no /usr/lib/postgresql/<version>/bin/pg_ctl");
        let uid = std::process::Command::new("id").arg("-u").output().unwrap();
        let as_postgres = String::from_utf8_lossy(&uid.stdout).trim() == "0";
        let dir = tempfile::tempdir().unwrap();
        if as_postgres {
            let owned = std::process::Command::new("chown")
                .arg("postgres:postgres")
                .arg(dir.path())
                .status()
                .unwrap();
            assert!(owned.success(), "cannot give the folder to postgres");
        }
        let port = free_port();
        let pg = Self {
            dir,
            bin,
            port,
            as_postgres,
        };
        let data = pg.data();
        pg.run(
            "initdb",
            &["-D", &data, "-U", "postgres", "-A", "trust", "-E", "UTF8"],
        );
        pg.pg_ctl(&["start", "-o", &pg.options()]);
        pg
    }

    fn data(&self) -> String {
        self.dir.path().join("data").display().to_string()
    }

    /// Its own port and socket folder; durable commits, as production needs.
    fn options(&self) -> String {
        format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=on -c synchronous_commit=on",
            self.port,
            self.dir.path().display()
        )
    }

    /// One of PostgreSQL's programs, run as `postgres` when this test runs as root.
    fn command(&self, program: &str) -> std::process::Command {
        let path = self.bin.join(program);
        if !self.as_postgres {
            return std::process::Command::new(path);
        }
        let mut c = std::process::Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(path);
        c
    }

    fn run(&self, program: &str, args: &[&str]) {
        let out = self.command(program).args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{program} {args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn pg_ctl(&self, args: &[&str]) {
        let data = self.data();
        let log = self.dir.path().join("log").display().to_string();
        let mut all = vec!["-D", data.as_str(), "-l", log.as_str(), "-w"];
        all.extend_from_slice(args);
        self.run("pg_ctl", &all);
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// `fast` (a clean shutdown that ends every session) or `immediate` (a crash: recovery
    /// replays the log at the next start).
    fn stop(&self, mode: &str) {
        self.pg_ctl(&["stop", "-m", mode]);
    }

    fn start_again(&self) {
        self.pg_ctl(&["start", "-o", &self.options()]);
    }
}

impl Drop for PrivatePostgres {
    fn drop(&mut self) {
        let data = self.data();
        let _ = self
            .command("pg_ctl")
            .args(["-D", &data, "-m", "immediate", "stop"])
            .output();
    }
}

/// What a page does with an answer: sends it until it is acknowledged. Every refusal on the way
/// must be a 503 naming the store (`unavailable` or `database_busy`) with a `Retry-After`, never
/// a 500. Returns the refusals seen.
async fn send_until_acknowledged(
    client: reqwest::Client,
    url: String,
    token: String,
    body: Value,
) -> u32 {
    let mut refused = 0;
    let until = std::time::Instant::now() + Duration::from_secs(60);
    loop {
        let res = client
            .put(&url)
            .bearer_auth(&token)
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = res.status().as_u16();
        if status == 200 {
            return refused;
        }
        let retry_after = res.headers().get("retry-after").cloned();
        let reply: Value = res.json().await.unwrap();
        assert_eq!(status, 503, "answer {body}: {reply}");
        assert!(
            reply["code"] == "unavailable" || reply["code"] == "database_busy",
            "{reply}"
        );
        assert!(retry_after.is_some(), "a 503 says when to try again");
        refused += 1;
        assert!(
            std::time::Instant::now() < until,
            "the answer was never acknowledged"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn postgres_restarted_and_crashed_mid_section_loses_no_acknowledged_answer_and_answers_503_while_down(
) {
    let pg = std::sync::Arc::new(
        tokio::task::spawn_blocking(PrivatePostgres::start)
            .await
            .unwrap(),
    );
    let url = pg.url();
    let app = TestApp::spawn_demo_with(move |s| {
        s.database.url = Some(url.into());
        s.database.acquire_timeout_seconds = 2;
    })
    .await;
    let s = setup(&app, &[("NUM-SERIES", 600)], false).await;
    let token = candidate(&app, &s.code).await;
    let section = start(&app, &token, 0).await;
    let choices = choice_items(&section);
    let target = app.url("/api/v1/candidate/answers");
    let mut acknowledged: std::collections::BTreeMap<usize, i64> = Default::default();
    let mut seq = 0;
    for phase in ["before", "fast", "immediate"] {
        // Four candidates' worth of answers in flight at once (each sender its own items), sent
        // without pause while the database restarts (or crashes and recovers) beside them.
        let back = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let restart = {
            let (pg, back) = (pg.clone(), back.clone());
            tokio::task::spawn_blocking(move || {
                if phase != "before" {
                    std::thread::sleep(Duration::from_millis(100));
                    pg.stop(phase);
                    pg.start_again();
                }
                back.store(true, std::sync::atomic::Ordering::SeqCst);
            })
        };
        let next = std::sync::Arc::new(std::sync::atomic::AtomicI64::new(seq));
        let senders: Vec<_> = (0..4)
            .map(|k| {
                let (client, target, token, section, next, back) = (
                    app.client.clone(),
                    target.clone(),
                    token.clone(),
                    section.clone(),
                    next.clone(),
                    back.clone(),
                );
                let mine: Vec<usize> = choices.iter().copied().skip(k).step_by(4).collect();
                tokio::spawn(async move {
                    let (mut done, mut refused, mut after) = (Vec::new(), 0, 0);
                    // Until the database is back, then five more each.
                    while after < 5 {
                        if back.load(std::sync::atomic::Ordering::SeqCst) {
                            after += 1;
                        }
                        let seq = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
                        let i = mine[done.len() % mine.len()];
                        refused += send_until_acknowledged(
                            client.clone(),
                            target.clone(),
                            token.clone(),
                            choose(&section, i, seq),
                        )
                        .await;
                        done.push((i, seq));
                    }
                    (done, refused)
                })
            })
            .collect();
        restart.await.unwrap();
        let mut done: Vec<(usize, i64)> = Vec::new();
        let mut refused = 0;
        for s in senders {
            let (d, r) = s.await.unwrap();
            done.extend(d);
            refused += r;
        }
        println!(
            "{phase}: {} answers acknowledged, {refused} refusals on the way",
            done.len()
        );
        done.sort_by_key(|(_, seq)| *seq);
        for (i, s) in done {
            acknowledged.insert(i, s);
        }
        seq = next.load(std::sync::atomic::Ordering::SeqCst);
    }
    // While the database is down: a clear, retryable refusal, then the same answer goes through
    // once it is back.
    {
        let pg = pg.clone();
        tokio::task::spawn_blocking(move || pg.stop("fast"))
            .await
            .unwrap();
    }
    seq += 1;
    let i = choices[(seq as usize - 1) % choices.len()];
    let res = answer(&app, &token, choose(&section, i, seq)).await;
    assert_eq!(res.status(), 503);
    assert!(res.headers().get("retry-after").is_some());
    assert_eq!(res.json::<Value>().await.unwrap()["code"], "unavailable");
    let read = app.get("/api/v1/candidate/sections/0", &token).await;
    assert_eq!(read.status(), 503, "a read says the same, not 500");
    let ready = app.client.get(app.url("/ready")).send().await.unwrap();
    assert_eq!(
        ready.status(),
        503,
        "the balancer hears the database is down"
    );
    let ready: Value = ready.json().await.unwrap();
    assert!(
        ready["database"]
            .as_str()
            .unwrap()
            .starts_with("unreachable"),
        "{ready}"
    );
    {
        let pg = pg.clone();
        tokio::task::spawn_blocking(move || pg.start_again())
            .await
            .unwrap();
    }
    send_until_acknowledged(
        app.client.clone(),
        target.clone(),
        token.clone(),
        choose(&section, i, seq),
    )
    .await;
    acknowledged.insert(i, seq);
    // The readiness probe's own connection comes back with the database too.
    let ready = app.client.get(app.url("/ready")).send().await.unwrap();
    assert_eq!(ready.status(), 200);

    // Every acknowledged answer survived the restarts and the crash.
    assert_each_item_keeps_its_last_answer(&app, &token, &section, &acknowledged).await;
    app.handle.stop(true).await;
}
