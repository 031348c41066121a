//! One acceptance suite that both live-store backends pass.
use std::sync::Arc;
use std::time::Duration;

use meritest::store::live::{LiveStore, MemoryLiveStore, RedisLiveStore};

use crate::helpers::backends;

fn prefix() -> String {
    format!("meritest-test:{}:", uuid::Uuid::new_v4().simple())
}

async fn acceptance_suite(
    make: impl Fn(String) -> futures_util::future::BoxFuture<'static, Arc<dyn LiveStore>>,
) {
    let p = prefix();
    let store = make(p.clone()).await;
    store.ping().await.unwrap();

    // A new store does not know the revocations until it is loaded with those in force; then
    // a revocation lasts for its time to live, and lapses.
    assert_eq!(store.is_token_revoked("t0").await.unwrap(), None);
    store
        .load_revocations(&[("t0".into(), Duration::from_secs(60))])
        .await
        .unwrap();
    assert_eq!(store.is_token_revoked("t0").await.unwrap(), Some(true));
    assert_eq!(store.is_token_revoked("t1").await.unwrap(), Some(false));
    store
        .revoke_token("t1", Duration::from_millis(300))
        .await
        .unwrap();
    assert_eq!(store.is_token_revoked("t1").await.unwrap(), Some(true));
    assert_eq!(store.is_token_revoked("t2").await.unwrap(), Some(false));

    // Hits count within a window and start again after it.
    for expected in 1..=3 {
        assert_eq!(
            store.hit("b1", Duration::from_millis(300)).await.unwrap(),
            expected
        );
    }
    assert_eq!(
        store.hit("b2", Duration::from_millis(300)).await.unwrap(),
        1
    );
    // Hits can be read without counting one, and a bucket reset starts again.
    assert_eq!(store.hits("b1").await.unwrap(), 3);
    assert_eq!(store.hits("b3").await.unwrap(), 0);
    store.reset("b2").await.unwrap();
    assert_eq!(store.hits("b2").await.unwrap(), 0);
    assert_eq!(
        store.hit("b2", Duration::from_millis(300)).await.unwrap(),
        1
    );

    // A store with another prefix shares nothing.
    let other = make(prefix()).await;
    assert_eq!(other.is_token_revoked("t1").await.unwrap(), None);
    assert_eq!(other.hit("b1", Duration::from_secs(1)).await.unwrap(), 1);
    // Paced attempts: two free, then each that goes ahead makes the next wait 1 s, 2 s, … at
    // most 3 s; one that must wait is told how long and is not counted; a reset forgets it all.
    let cap = Duration::from_secs(3);
    let day = Duration::from_secs(86_400);
    let t = 1_800_000_000_000i64;
    let pace = |at: i64| store.pace("p1", t + at, 2, cap, day);
    assert_eq!(pace(0).await.unwrap(), None);
    assert_eq!(pace(1).await.unwrap(), None);
    assert_eq!(pace(2).await.unwrap(), Some(Duration::from_millis(999)));
    assert_eq!(pace(1_001).await.unwrap(), None);
    assert_eq!(
        pace(1_002).await.unwrap(),
        Some(Duration::from_millis(1_999))
    );
    assert_eq!(pace(3_001).await.unwrap(), None);
    assert_eq!(pace(3_001).await.unwrap(), Some(Duration::from_secs(3)));
    assert_eq!(pace(6_001).await.unwrap(), None);
    assert_eq!(pace(6_001).await.unwrap(), Some(Duration::from_secs(3)));
    assert_eq!(
        other.pace("p1", t, 2, cap, day).await.unwrap(),
        None,
        "another prefix paces apart"
    );
    store.reset("p1").await.unwrap();
    assert_eq!(pace(6_002).await.unwrap(), None);
    assert_eq!(pace(6_003).await.unwrap(), None);

    // The same prefix is the same state (a second node of one deployment).
    if store.backend() == "redis" {
        let twin = make(p.clone()).await;
        assert_eq!(twin.is_token_revoked("t1").await.unwrap(), Some(true));
    }

    // Attempt state: replaced by a newer put, forgotten on request, gone after its time to live.
    assert_eq!(store.get_attempt("a1").await.unwrap(), None);
    store
        .put_attempt("a1", r#"{"v":1}"#, Duration::from_millis(300))
        .await
        .unwrap();
    store
        .put_attempt("a1", r#"{"v":2}"#, Duration::from_millis(300))
        .await
        .unwrap();
    store
        .put_attempt("a2", r#"{"v":3}"#, Duration::from_secs(60))
        .await
        .unwrap();
    assert_eq!(
        store.get_attempt("a1").await.unwrap().as_deref(),
        Some(r#"{"v":2}"#)
    );
    store.forget_attempt("a2").await.unwrap();
    assert_eq!(store.get_attempt("a2").await.unwrap(), None);
    assert_eq!(other.get_attempt("a1").await.unwrap(), None);

    // A marker only rises, and tells what it was.
    assert_eq!(
        store
            .advance("m1", 3, Duration::from_millis(300))
            .await
            .unwrap(),
        None
    );
    assert_eq!(
        store
            .advance("m1", 1, Duration::from_millis(300))
            .await
            .unwrap(),
        Some(3)
    );
    assert_eq!(
        store
            .advance("m1", 5, Duration::from_millis(300))
            .await
            .unwrap(),
        Some(3)
    );
    assert_eq!(
        store
            .advance("m1", 4, Duration::from_millis(300))
            .await
            .unwrap(),
        Some(5)
    );
    assert_eq!(
        other
            .advance("m1", 0, Duration::from_secs(1))
            .await
            .unwrap(),
        None
    );

    // Published events reach this node's listeners of the topic, and only them.
    let mut room = store.subscribe("room:1", 16);
    let mut elsewhere = store.subscribe("room:2", 16);
    let mut stranger = other.subscribe("room:1", 16);
    store.publish("room:1", "rows\n{}").await.unwrap();
    let got = tokio::time::timeout(Duration::from_secs(2), room.recv())
        .await
        .expect("the event arrives")
        .unwrap();
    assert_eq!(&*got, "rows\n{}");
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(elsewhere.try_recv().is_err(), "another topic hears nothing");
    assert!(stranger.try_recv().is_err(), "another prefix hears nothing");
    if store.backend() == "redis" {
        // A second node of the deployment hears what the first publishes.
        let twin = make(p.clone()).await;
        let mut far = twin.subscribe("room:1", 16);
        store.publish("room:1", "seen\n[]").await.unwrap();
        let got = tokio::time::timeout(Duration::from_secs(2), far.recv())
            .await
            .expect("the event crosses nodes")
            .unwrap();
        assert_eq!(&*got, "seen\n[]");
    }

    // Presence: the latest time an attempt was seen, per attempt, in the order asked.
    store
        .put_presence(
            &[("a1".into(), 1_000), ("a2".into(), 2_000)],
            Duration::from_millis(300),
        )
        .await
        .unwrap();
    store
        .put_presence(&[("a1".into(), 1_500)], Duration::from_millis(300))
        .await
        .unwrap();
    assert_eq!(
        store
            .presence(&["a2".into(), "a3".into(), "a1".into()])
            .await
            .unwrap(),
        vec![Some(2_000), None, Some(1_500)]
    );
    assert_eq!(other.presence(&["a1".into()]).await.unwrap(), vec![None]);

    tokio::time::sleep(Duration::from_millis(450)).await;
    assert_eq!(store.presence(&["a1".into()]).await.unwrap(), vec![None]);
    assert_eq!(
        store
            .advance("m1", 0, Duration::from_millis(300))
            .await
            .unwrap(),
        None
    );
    assert_eq!(store.get_attempt("a1").await.unwrap(), None);
    assert_eq!(store.is_token_revoked("t1").await.unwrap(), Some(false));
    assert_eq!(store.hits("b1").await.unwrap(), 0);
    assert_eq!(
        store.hit("b1", Duration::from_millis(300)).await.unwrap(),
        1
    );
}

#[tokio::test]
async fn the_in_process_store_passes_the_live_store_acceptance_suite() {
    acceptance_suite(|p| {
        Box::pin(async move { Arc::new(MemoryLiveStore::new(p)) as Arc<dyn LiveStore> })
    })
    .await;
}

#[tokio::test]
async fn the_redis_store_passes_the_live_store_acceptance_suite() {
    let Some(url) = backends().1 else {
        assert!(
            std::env::var("MERITEST_TEST_REQUIRE_REAL").is_err(),
            "MERITEST_TEST_REQUIRE_REAL is set but MERITEST_TEST_REDIS_URL is not"
        );
        eprintln!("skipped: MERITEST_TEST_REDIS_URL is not set (tests/run-all.sh sets it)");
        return;
    };
    acceptance_suite(move |p| {
        let url = url.clone();
        Box::pin(async move {
            Arc::new(RedisLiveStore::connect(&url, p).await.unwrap()) as Arc<dyn LiveStore>
        })
    })
    .await;
}

#[tokio::test]
async fn the_redis_store_reports_a_clear_error_when_redis_is_unreachable() {
    let err = RedisLiveStore::connect("redis://127.0.0.1:1", prefix())
        .await
        .err()
        .expect("no Redis listens on port 1");
    assert_eq!(err.backend, "redis");
}
