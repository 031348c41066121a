use std::collections::BTreeSet;
use std::time::Duration;

use serde_json::Value;

use crate::helpers::{backends, TestApp};

#[tokio::test]
async fn health_answers_alive() {
    let app = TestApp::spawn().await;
    let res = app.client.get(app.url("/health")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.unwrap()["status"], "alive");
}

#[tokio::test]
async fn a_node_speaks_http2_without_tls_to_a_balancer_and_http1_to_everyone_else() {
    // The balancer of loadtest/haproxy/haproxy.cfg opens HTTP/2 with its preface (`proto h2`)
    // to carry many page streams over one connection; browsers and curl speak HTTP/1.1.
    let app = TestApp::spawn().await;
    let h2 = reqwest::Client::builder()
        .http2_prior_knowledge()
        .build()
        .unwrap();
    for (client, version) in [
        (&h2, reqwest::Version::HTTP_2),
        (&app.client, reqwest::Version::HTTP_11),
    ] {
        let res = client.get(app.url("/ready")).send().await.unwrap();
        assert_eq!((res.status().as_u16(), res.version()), (200, version));
        assert_eq!(res.json::<Value>().await.unwrap()["ready"], true);
    }
}

#[tokio::test]
async fn a_node_sends_each_write_on_its_connections_at_once_without_waiting_for_an_acknowledgement()
{
    // With Nagle's algorithm (the OS default) the second write of a response (HTTP/2's data frame
    // after its headers, an event stream's next frame) waited for the peer to acknowledge the
    // first, and a balancer delays acknowledgements: 200 ms on every staff list through HAProxy.
    use std::io::{Read, Write};
    use std::os::fd::{FromRawFd, IntoRawFd};
    let app = TestApp::spawn().await;
    let server: std::net::SocketAddr = app.address.trim_start_matches("http://").parse().unwrap();
    let client = tokio::task::spawn_blocking(move || {
        let mut c = std::net::TcpStream::connect(server).unwrap();
        c.write_all(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            .unwrap();
        let mut first = [0u8; 12];
        c.read_exact(&mut first).unwrap();
        assert_eq!(&first, b"HTTP/1.1 200");
        c
    })
    .await
    .unwrap();
    let ours = client.local_addr().unwrap();
    // The node runs in this process: find its end of our connection among our descriptors.
    let mut accepted = Vec::new();
    for entry in std::fs::read_dir("/proc/self/fd").unwrap().flatten() {
        let is_socket = std::fs::read_link(entry.path())
            .is_ok_and(|l| l.to_string_lossy().starts_with("socket:"));
        let Ok(fd) = entry.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        if !is_socket {
            continue;
        }
        // Borrowed for the two reads and handed back unclosed (`into_raw_fd`).
        let s = unsafe { std::net::TcpStream::from_raw_fd(fd) };
        let seen = (s.local_addr(), s.peer_addr(), s.nodelay());
        let _ = s.into_raw_fd();
        if let (Ok(local), Ok(peer), Ok(nodelay)) = seen {
            if local == server && peer == ours {
                accepted.push(nodelay);
            }
        }
    }
    assert_eq!(accepted, vec![true]);
    drop(client);
}

#[tokio::test]
async fn ready_reports_both_stores_and_the_live_backend_in_use() {
    let app = TestApp::spawn().await;
    let res = app.client.get(app.url("/ready")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["database"], "ok");
    assert_eq!(body["live_store"], "ok");
    let expected = if backends().1.is_some() {
        "redis"
    } else {
        "memory"
    };
    assert_eq!(body["live_backend"], expected);
}

#[tokio::test]
async fn ready_answers_503_with_the_reason_when_the_database_is_gone() {
    let app = TestApp::spawn().await;
    app.ctx.db.clone().close().await.unwrap();
    app.ctx.probe.clone().close().await.unwrap();
    let res = app.client.get(app.url("/ready")).send().await.unwrap();
    assert_eq!(res.status(), 503);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["ready"], false);
    assert!(
        body["database"]
            .as_str()
            .unwrap()
            .starts_with("unreachable"),
        "{body}"
    );
    assert_eq!(body["live_store"], "ok");
}

#[tokio::test]
async fn ready_stays_200_while_every_pooled_connection_is_held_by_requests() {
    // A node whose pool is busy serving candidates is not a node whose database is down: were
    // `/ready` to wait for a pooled connection, a balancer would take the loaded node out of
    // rotation just when its neighbour has died and the load is all on it.
    let app = TestApp::spawn_with(|s| s.database.acquire_timeout_seconds = 1).await;
    let held = app.hold_every_pooled_connection().await;
    let res = app.client.get(app.url("/ready")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let body: Value = res.json().await.unwrap();
    assert_eq!(
        (&body["ready"], &body["database"]),
        (&Value::Bool(true), &Value::from("ok"))
    );
    drop(held);
}

/// The Prometheus text of the node, as a scraper reads it (no sign-in).
async fn metrics_text(app: &TestApp) -> String {
    app.client
        .get(app.url("/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

#[tokio::test]
async fn metrics_count_requests_by_route_and_report_the_pool() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let id = uuid::Uuid::new_v4();
    app.get(&format!("/api/v1/instruments/{id}"), &admin).await;
    let text = metrics_text(&app).await;
    assert!(
        text.contains(r#"meritest_http_requests_total{method="POST",route="/api/v1/auth/login",status="200"} 1"#),
        "{text}"
    );
    assert!(
        text.contains(r#"meritest_http_requests_total{method="GET",route="/api/v1/instruments/{id}",status="404"} 1"#),
        "{text}"
    );
    assert!(text.contains("meritest_http_request_duration_seconds_bucket"));
    assert!(text.contains("meritest_db_pool_connections"));
}

#[tokio::test]
async fn made_up_methods_and_paths_do_not_grow_the_metrics() {
    let app = TestApp::spawn().await;
    for i in 0..20 {
        let method = reqwest::Method::from_bytes(format!("MADEUPMETHOD{i}").as_bytes()).unwrap();
        for path in [
            format!("/api/v1/made-up-path-{i}"),
            format!("/made-up-page-{i}"),
            "/health".to_owned(),
        ] {
            app.client
                .request(method.clone(), app.url(&path))
                .send()
                .await
                .unwrap();
        }
    }
    let text = metrics_text(&app).await;
    assert!(!text.contains("MADEUPMETHOD"), "{text}");
    assert!(!text.contains("made-up"), "{text}");
    assert!(
        text.contains(
            r#"meritest_http_requests_total{method="other",route="/health",status="405"} 20"#
        ),
        "{text}"
    );
}

#[tokio::test]
async fn api_answers_are_not_stored_by_caches_and_no_response_sends_a_referrer() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    let id = crate::helpers::import(
        &app,
        &admin,
        &crate::helpers::sample_instrument("NOSTORE", 1),
    )
    .await;
    for path in [
        "/api/v1/instruments".to_owned(),
        format!("/api/v1/instruments/{id}/export"),
        "/api/v1/auth/me".to_owned(),
    ] {
        let res = app.get(&path, &admin).await;
        assert_eq!(res.status(), 200, "{path}");
        assert_eq!(res.headers()["cache-control"], "no-store", "{path}");
        assert_eq!(res.headers()["referrer-policy"], "no-referrer", "{path}");
    }
    let page = app.client.get(app.url("/login")).send().await.unwrap();
    assert_eq!(page.headers()["referrer-policy"], "no-referrer");
    assert_eq!(
        page.headers()["cache-control"],
        "no-cache",
        "pages keep their own revalidation"
    );
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let app = TestApp::spawn().await;
    let a = app.client.get(app.url("/health")).send().await.unwrap();
    let b = app
        .client
        .get(app.url("/api/v1/nope"))
        .send()
        .await
        .unwrap();
    let id_a = a.headers()["x-request-id"].to_str().unwrap().to_owned();
    let id_b = b.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert_eq!(id_a.len(), 36);
    assert_ne!(id_a, id_b);
}

#[tokio::test]
async fn the_openapi_document_lists_every_endpoint() {
    let app = TestApp::spawn().await;
    let doc: Value = app
        .client
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let documented: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(move |method| (method.to_uppercase(), path.clone()))
        })
        .collect();
    // The document does not describe itself.
    let undocumented = [("GET".to_owned(), "/api/openapi.json".to_owned())];
    let registered: BTreeSet<(String, String)> = meritest::routes::endpoints()
        .into_iter()
        .map(|e| (e.method.to_string(), e.path))
        .filter(|endpoint| !undocumented.contains(endpoint))
        .collect();
    let missing: Vec<_> = registered.difference(&documented).collect();
    assert!(
        missing.is_empty(),
        "registered, not documented: {missing:?}"
    );
    let unserved: Vec<_> = documented.difference(&registered).collect();
    assert!(
        unserved.is_empty(),
        "documented, not registered: {unserved:?}"
    );
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
}

#[tokio::test]
async fn a_graceful_stop_lets_an_in_flight_request_finish() {
    let app = TestApp::spawn().await;
    let admin = app.admin_token().await;
    // A request whose body arrives slowly is in flight when the stop begins.
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(4);
    let stream =
        futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|c| (c, rx)) });
    let request = app
        .client
        .post(app.url("/api/v1/instruments/import?dry_run=true"))
        .bearer_auth(&admin)
        .header("content-type", "application/json")
        .body(reqwest::Body::wrap_stream(stream))
        .send();
    let in_flight = tokio::spawn(request);
    let doc = serde_json::to_vec(&crate::helpers::sample_instrument("NUM-TEST", 1)).unwrap();
    let (first, rest) = doc.split_at(20);
    tx.send(Ok(first.to_vec())).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let stopping = tokio::spawn(app.handle.stop(true));
    tokio::time::sleep(Duration::from_millis(200)).await;
    tx.send(Ok(rest.to_vec())).await.unwrap();
    drop(tx);
    let res = in_flight.await.unwrap().unwrap();
    assert_eq!(res.status(), 200);
    stopping.await.unwrap();
    // New connections are refused once stopped.
    assert!(app.client.get(app.url("/health")).send().await.is_err());
}

#[tokio::test]
async fn metrics_time_each_flush_of_the_proctors_feed_that_sends_something() {
    use crate::helpers::{answer, started};
    use meritest::services::monitor;
    // The node's own flush never comes during the test: the test flushes.
    let app = TestApp::spawn_demo_with(|s| s.proctoring.flush_interval_ms = 3_600_000).await;
    let (_, token, section) = started(&app, &[("NUM-SERIES", 600)]).await;
    monitor::flush(&app.ctx).await.unwrap();
    let before = app.metric("feed_flush_seconds_count").await;
    let item = &section["items"][0];
    let body = serde_json::json!({"section": 0, "item": item["id"],
        "response": {"choice": item["options"][0]["id"]}, "seq": 1});
    assert_eq!(answer(&app, &token, body).await.status(), 200);
    assert_eq!(monitor::flush(&app.ctx).await.unwrap(), 1);
    assert_eq!(app.metric("feed_flush_seconds_count").await, before + 1.0);
    // Nothing gathered since: nothing sent, nothing timed.
    assert_eq!(monitor::flush(&app.ctx).await.unwrap(), 0);
    assert_eq!(app.metric("feed_flush_seconds_count").await, before + 1.0);
    assert!(metrics_text(&app)
        .await
        .contains("meritest_feed_flush_seconds_bucket{le=\"0.005\"}"));
}

#[tokio::test]
async fn metrics_report_group_commit_batches_the_writer_queue_and_open_streams() {
    use crate::helpers::{answer, started};
    let app = TestApp::spawn_demo().await;
    let (_, token, section) = started(&app, &[("NUM-SERIES", 600)]).await;
    for (i, seq) in [(0, 1), (1, 2)] {
        let item = &section["items"][i];
        let body = serde_json::json!({"section": 0, "item": item["id"],
            "response": {"choice": item["options"][0]["id"]}, "seq": seq});
        assert_eq!(answer(&app, &token, body).await.status(), 200);
    }
    // Two answers sent one after the other: two batches of one.
    assert_eq!(app.metric("answer_batch_size_count").await, 2.0);
    assert_eq!(app.metric("answer_batch_size_sum").await, 2.0);
    assert_eq!(app.metric("answer_queue_depth").await, 0.0);
    assert_eq!(app.metric("open_streams").await, 0.0);
    // The candidate's page stream, open: counted while it is.
    let stream = app
        .client
        .get(app.url("/api/v1/candidate/stream"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status(), 200);
    let text = metrics_text(&app).await;
    assert!(text.contains("meritest_open_streams 1\n"), "{text}");
    drop(stream);
}
