//! The Redis backends against a real `redis-server` on a loopback port: one budget across two
//! limiters, one session across two hubs (as two instances would hold them), and recovery when Redis
//! stops and comes back.

use std::sync::Arc;
use std::time::{Duration, Instant};

use beamline_redis::{connect, RedisHub, RedisLimiter};
use beamline_seams::hub::{Design, HubError, HubLimits, SessionHub};
use beamline_seams::limiter::{LimiterError, RateLimiter};
use beamline_testkit::Redis;
use serde_json::value::RawValue;
use serde_json::Value;

fn limits() -> HubLimits {
    HubLimits {
        max_sessions: 100,
        max_members: 3,
        queue: 64,
        empty_ttl: Duration::from_secs(60),
    }
}

fn design(beam: i64) -> Design {
    Design {
        beam: Value::from(beam),
        result: Arc::from(RawValue::from_string(format!("{{\"n\":{beam}}}")).unwrap()),
    }
}

async fn hub(url: &str) -> RedisHub {
    let (client, conn) = connect(url).await.unwrap();
    let hub = RedisHub::new(client, conn, limits());
    let deadline = Instant::now() + Duration::from_secs(5);
    while !hub.subscribed() {
        assert!(Instant::now() < deadline, "the hub did not subscribe");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    hub
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_limiters_on_one_redis_share_one_exact_budget_under_concurrent_load() {
    let Some(redis) = Redis::start() else { return };
    let mut limiters = Vec::new();
    for _ in 0..2 {
        let (_, conn) = connect(&redis.url()).await.unwrap();
        limiters.push(Arc::new(RedisLimiter::new(
            conn,
            50,
            Duration::from_secs(60),
        )));
    }
    let mut tasks = Vec::new();
    for t in 0..8 {
        let limiter = limiters[t % 2].clone();
        tasks.push(tokio::spawn(async move {
            let mut admitted = 0;
            for _ in 0..25 {
                if limiter.admit("sub:alice").await.unwrap().allowed {
                    admitted += 1;
                }
            }
            admitted
        }));
    }
    let mut admitted = 0;
    for t in tasks {
        admitted += t.await.unwrap();
    }
    assert_eq!(admitted, 50);
    let refused = limiters[0].admit("sub:alice").await.unwrap();
    assert!(!refused.allowed);
    assert_eq!(refused.remaining, 0);
    assert!(
        refused.wait > Duration::from_secs(55) && refused.wait <= Duration::from_secs(60),
        "{:?}",
        refused.wait
    );
    // Another key has a budget of its own.
    assert!(limiters[1].admit("sub:bob").await.unwrap().allowed);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_spans_two_hubs_designs_presence_late_joiners_and_compare_and_set() {
    let Some(redis) = Redis::start() else { return };
    let (a, b) = (hub(&redis.url()).await, hub(&redis.url()).await);
    let mut on_a = a.join("s").await.unwrap();
    let mut on_b = b.join("s").await.unwrap();
    assert_eq!(on_b.snapshot.members, 2);
    assert_eq!(
        a.publish("s", None, design(1), "design 1".into()).await,
        Ok(1)
    );
    for joined in [&mut on_a, &mut on_b] {
        let got = tokio::time::timeout(Duration::from_secs(2), joined.messages.recv())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(got, "design 1");
    }
    b.broadcast("s", "presence".into()).await;
    let got = tokio::time::timeout(Duration::from_secs(2), on_a.messages.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(got, "presence");
    // A late joiner on either instance sees the current design.
    let late = b.join("s").await.unwrap();
    assert_eq!(late.snapshot.beam, Some(Value::from(1)));
    assert_eq!(
        late.snapshot.result.as_ref().map(|r| r.get()),
        Some("{\"n\":1}")
    );
    assert_eq!(late.snapshot.version, 1);
    // The session is full at three members, counted across instances.
    assert_eq!(a.join("s").await.err(), Some(HubError::SessionFull(3)));
    // Two edits from version 1: one wins, on whichever instance.
    assert_eq!(
        b.publish("s", Some(1), design(2), "design 2".into()).await,
        Ok(2)
    );
    assert_eq!(
        a.publish("s", Some(1), design(3), "design 3".into()).await,
        Err(HubError::Changed(2))
    );
    assert_eq!(a.snapshot("s").await.beam, Some(Value::from(2)));
    assert_eq!(b.leave("s").await, 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn when_redis_stops_both_refuse_with_a_reason_and_recover_when_it_returns() {
    let Some(redis) = Redis::start() else { return };
    let port = redis.port;
    let url = redis.url();
    let (_, conn) = connect(&url).await.unwrap();
    let limiter = RedisLimiter::new(conn, 100, Duration::from_secs(60));
    let hub = hub(&url).await;
    let mut member = hub.join("s").await.unwrap();
    assert!(limiter.admit("k").await.unwrap().allowed);
    drop(redis);
    assert!(matches!(
        limiter.admit("k").await,
        Err(LimiterError::Unavailable(_))
    ));
    // The member's stream closes: it is told, and reconnects.
    let closed = tokio::time::timeout(Duration::from_secs(5), member.messages.recv())
        .await
        .unwrap();
    assert!(closed.is_err());
    assert!(matches!(hub.join("s").await, Err(HubError::Unavailable(_))));
    let _back = Redis::on(port).unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if limiter.admit("k").await.is_ok() && hub.join("s").await.is_ok() {
            break;
        }
        assert!(Instant::now() < deadline, "did not recover");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn job_events_only_follow_the_last_one_and_a_lapsed_hold_passes_to_another_instance() {
    use beamline_redis::RedisJobStore;
    use beamline_seams::jobs::{Claim, JobRecord, JobStatus, JobStore, StoredEvent};
    let Some(redis) = Redis::start() else { return };
    let (_, conn) = connect(&redis.url()).await.unwrap();
    let store = RedisJobStore::new(conn);
    let mut record = JobRecord {
        job_id: "j1".into(),
        owner: "alice".into(),
        status: JobStatus::Pending,
        total_beams: 2,
        completed_beams: 0,
        succeeded: 0,
        failed: 0,
        errors: 0,
        created_at: 1,
        started_at: None,
        finished_at: None,
        next_event_id: 1,
        cancel_requested: false,
    };
    let event = |id: u64| StoredEvent {
        id,
        name: "progress".into(),
        data: format!("{{\"n\":{id}}}"),
    };
    store
        .create(&record, &[Value::from(1), Value::from(2)])
        .await
        .unwrap();
    let lease = Duration::from_millis(300);
    assert_eq!(
        store.claim("j1", "A", lease).await.unwrap(),
        Claim::Held {
            cancel_requested: false
        }
    );
    assert_eq!(store.claim("j1", "B", lease).await.unwrap(), Claim::Lost);
    record.next_event_id = 3;
    store.append(&record, &[event(1), event(2)]).await.unwrap();
    // A second writer that read the job before that append cannot add its events too.
    assert!(store.append(&record, &[event(1), event(2)]).await.is_err());
    assert_eq!(
        store.events("j1", 1, 10).await.unwrap(),
        [event(1), event(2)]
    );
    assert_eq!(store.events("j1", 2, 10).await.unwrap(), [event(2)]);
    assert!(store.orphans().await.unwrap().is_empty());
    // A stops renewing: after the lease its job is an orphan, and B takes it.
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(store.orphans().await.unwrap().len(), 1);
    assert_eq!(
        store.claim("j1", "B", lease).await.unwrap(),
        Claim::Held {
            cancel_requested: false
        }
    );
    assert_eq!(store.claim("j1", "A", lease).await.unwrap(), Claim::Lost);
    // A cancel asked on any instance reaches the holder with its next claim.
    assert!(
        store
            .request_cancel("j1")
            .await
            .unwrap()
            .unwrap()
            .cancel_requested
    );
    assert_eq!(
        store.claim("j1", "B", lease).await.unwrap(),
        Claim::Held {
            cancel_requested: true
        }
    );
    record.status = JobStatus::Completed;
    record.finished_at = Some(10);
    record.next_event_id = 4;
    store.append(&record, &[event(3)]).await.unwrap();
    assert!(store.unfinished().await.unwrap().is_empty());
    assert_eq!(store.delete_finished_before(11).await.unwrap(), 1);
    assert!(store.get("j1").await.unwrap().is_none());
}
