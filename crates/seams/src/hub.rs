//! The session hub: where a session's current beam, last result and members live, and through which
//! every message to a session's members passes. Connections talk only to this trait, so a hub that
//! spans several instances (Redis) replaces the in-process one without touching them. Messages are
//! UTF-8 JSON text as bytes.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use serde_json::value::RawValue;
use serde_json::Value;
use tokio::sync::broadcast;

use crate::BoxFuture;

/// What a session holds.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    /// The normalized beam of the last design, if any.
    pub beam: Option<Value>,
    /// Its design result, as the JSON text sent to members (shared, never re-serialised).
    pub result: Option<Arc<RawValue>>,
    pub members: u32,
    /// How many designs the session has had: a change made from this snapshot is published only if
    /// no other was published since (`publish` with `expected`).
    pub version: u64,
}

impl PartialEq for Snapshot {
    fn eq(&self, other: &Snapshot) -> bool {
        self.beam == other.beam
            && self.result.as_ref().map(|r| r.get()) == other.result.as_ref().map(|r| r.get())
            && self.members == other.members
            && self.version == other.version
    }
}

/// A design to make current: the (normalized) beam or member, and its result as JSON text.
#[derive(Debug, Clone)]
pub struct Design {
    pub beam: Value,
    pub result: Arc<RawValue>,
}

/// A new member's view: the session as it is, and the stream of everything sent to its members.
pub struct Joined {
    pub snapshot: Snapshot,
    pub messages: broadcast::Receiver<Bytes>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HubError {
    #[error("the server has reached its limit of {0} sessions")]
    TooManySessions(usize),
    #[error("the session is full ({0} members)")]
    SessionFull(u32),
    #[error("the session store is unavailable: {0}")]
    Unavailable(String),
    /// Another design was published since the snapshot a change was made from.
    #[error("the session changed meanwhile (now at version {0})")]
    Changed(u64),
}

pub trait SessionHub: Send + Sync {
    /// Adds a member (creating the session if needed) and subscribes it to the session's messages.
    fn join<'a>(&'a self, session: &'a str) -> BoxFuture<'a, Result<Joined, HubError>>;
    /// Removes a member; returns how many remain.
    fn leave<'a>(&'a self, session: &'a str) -> BoxFuture<'a, u32>;
    fn snapshot<'a>(&'a self, session: &'a str) -> BoxFuture<'a, Snapshot>;
    /// Makes `beam`/`result` the session's current design and sends `message` to every member, in
    /// one step, so members see designs in the order they became current; returns the new version.
    /// With `expected`, only if the session is still at that version (compare-and-set), else
    /// `HubError::Changed`: two members editing at once never lose a change.
    fn publish<'a>(
        &'a self,
        session: &'a str,
        expected: Option<u64>,
        design: Design,
        message: Bytes,
    ) -> BoxFuture<'a, Result<u64, HubError>>;
    /// Sends `message` to every member.
    fn broadcast<'a>(&'a self, session: &'a str, message: Bytes) -> BoxFuture<'a, ()>;
    /// Drops sessions that have had no members for longer than their retention time.
    fn sweep(&self) -> BoxFuture<'_, usize>;
}

#[derive(Debug, Clone, Copy)]
pub struct HubLimits {
    pub max_sessions: usize,
    pub max_members: u32,
    /// Messages a member may fall behind before it must be brought up to date afresh.
    pub queue: usize,
    /// How long a session without members is kept.
    pub empty_ttl: Duration,
}

struct Session {
    snapshot: Snapshot,
    sender: broadcast::Sender<Bytes>,
    empty_since: Option<Instant>,
}

/// The in-process hub: a map of sessions, each with a bounded broadcast channel. Sending never waits
/// for a receiver; a receiver that falls more than `queue` messages behind is told so (and resyncs).
pub struct InProcessHub {
    sessions: Mutex<HashMap<String, Session>>,
    limits: HubLimits,
}

impl InProcessHub {
    pub fn new(limits: HubLimits) -> Self {
        InProcessHub {
            sessions: Mutex::new(HashMap::new()),
            limits,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Session>> {
        self.sessions.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn sweep_locked(map: &mut HashMap<String, Session>, ttl: Duration, now: Instant) -> usize {
        let before = map.len();
        map.retain(|_, s| s.empty_since.is_none_or(|t| now.duration_since(t) < ttl));
        before - map.len()
    }

    fn join_now(&self, id: &str) -> Result<Joined, HubError> {
        let mut map = self.lock();
        if !map.contains_key(id) {
            if map.len() >= self.limits.max_sessions {
                Self::sweep_locked(&mut map, self.limits.empty_ttl, Instant::now());
            }
            if map.len() >= self.limits.max_sessions {
                return Err(HubError::TooManySessions(self.limits.max_sessions));
            }
            let (sender, _) = broadcast::channel(self.limits.queue.max(1));
            map.insert(
                id.to_owned(),
                Session {
                    snapshot: Snapshot::default(),
                    sender,
                    empty_since: None,
                },
            );
        }
        let session = map.get_mut(id).expect("present");
        if session.snapshot.members >= self.limits.max_members {
            return Err(HubError::SessionFull(self.limits.max_members));
        }
        session.snapshot.members += 1;
        session.empty_since = None;
        Ok(Joined {
            snapshot: session.snapshot.clone(),
            messages: session.sender.subscribe(),
        })
    }
}

impl SessionHub for InProcessHub {
    fn join<'a>(&'a self, session: &'a str) -> BoxFuture<'a, Result<Joined, HubError>> {
        Box::pin(async move { self.join_now(session) })
    }

    fn leave<'a>(&'a self, session: &'a str) -> BoxFuture<'a, u32> {
        Box::pin(async move {
            let mut map = self.lock();
            let Some(s) = map.get_mut(session) else {
                return 0;
            };
            s.snapshot.members = s.snapshot.members.saturating_sub(1);
            let members = s.snapshot.members;
            if members == 0 {
                if s.snapshot.beam.is_none() {
                    // Nothing was ever designed here: nothing to keep for anyone.
                    map.remove(session);
                } else {
                    s.empty_since = Some(Instant::now());
                }
            }
            members
        })
    }

    fn snapshot<'a>(&'a self, session: &'a str) -> BoxFuture<'a, Snapshot> {
        Box::pin(async move {
            self.lock()
                .get(session)
                .map(|s| s.snapshot.clone())
                .unwrap_or_default()
        })
    }

    fn publish<'a>(
        &'a self,
        session: &'a str,
        expected: Option<u64>,
        design: Design,
        message: Bytes,
    ) -> BoxFuture<'a, Result<u64, HubError>> {
        Box::pin(async move {
            let mut map = self.lock();
            let Some(s) = map.get_mut(session) else {
                return Ok(0);
            };
            if expected.is_some_and(|v| v != s.snapshot.version) {
                return Err(HubError::Changed(s.snapshot.version));
            }
            s.snapshot.beam = Some(design.beam);
            s.snapshot.result = Some(design.result);
            s.snapshot.version += 1;
            // An error only means nobody is listening right now.
            let _ = s.sender.send(message);
            Ok(s.snapshot.version)
        })
    }

    fn broadcast<'a>(&'a self, session: &'a str, message: Bytes) -> BoxFuture<'a, ()> {
        Box::pin(async move {
            if let Some(s) = self.lock().get(session) {
                let _ = s.sender.send(message);
            }
        })
    }

    fn sweep(&self) -> BoxFuture<'_, usize> {
        Box::pin(async move {
            let mut map = self.lock();
            Self::sweep_locked(&mut map, self.limits.empty_ttl, Instant::now())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn design(beam: i64, result: &str) -> Design {
        Design {
            beam: Value::from(beam),
            result: RawValue::from_string(result.to_owned()).unwrap().into(),
        }
    }

    fn hub(max_sessions: usize, max_members: u32, ttl: Duration) -> InProcessHub {
        InProcessHub::new(HubLimits {
            max_sessions,
            max_members,
            queue: 4,
            empty_ttl: ttl,
        })
    }

    #[tokio::test]
    async fn members_share_designs_and_late_joiners_see_the_current_one() {
        let hub = hub(10, 10, Duration::from_secs(60));
        let mut a = hub.join("s").await.unwrap();
        assert_eq!(a.snapshot.members, 1);
        hub.publish("s", None, design(1, "2"), "design".into())
            .await
            .unwrap();
        assert_eq!(&a.messages.recv().await.unwrap()[..], b"design");
        let b = hub.join("s").await.unwrap();
        assert_eq!(b.snapshot.members, 2);
        assert_eq!(b.snapshot.beam, Some(Value::from(1)));
        assert_eq!(hub.leave("s").await, 1);
    }

    #[tokio::test]
    async fn limits_on_sessions_and_members() {
        let hub = hub(1, 2, Duration::from_secs(60));
        let _a = hub.join("s").await.unwrap();
        let _b = hub.join("s").await.unwrap();
        assert_eq!(hub.join("s").await.err(), Some(HubError::SessionFull(2)));
        assert_eq!(
            hub.join("t").await.err(),
            Some(HubError::TooManySessions(1))
        );
    }

    #[tokio::test]
    async fn empty_sessions_are_kept_for_their_ttl_then_dropped() {
        let hub = hub(10, 10, Duration::from_millis(30));
        let _ = hub.join("s").await.unwrap();
        hub.publish("s", None, design(1, "2"), "m".into())
            .await
            .unwrap();
        hub.leave("s").await;
        assert_eq!(hub.sweep().await, 0);
        assert_eq!(hub.snapshot("s").await.beam, Some(Value::from(1)));
        tokio::time::sleep(Duration::from_millis(40)).await;
        assert_eq!(hub.sweep().await, 1);
        assert_eq!(hub.snapshot("s").await, Snapshot::default());
    }

    #[tokio::test]
    async fn a_slow_member_lags_without_holding_anyone_back() {
        let hub = hub(10, 10, Duration::from_secs(60));
        let mut slow = hub.join("s").await.unwrap();
        let mut fast = hub.join("s").await.unwrap();
        for i in 0..10 {
            hub.broadcast("s", i.to_string().into()).await;
            assert_eq!(fast.messages.recv().await.unwrap(), i.to_string());
        }
        assert!(matches!(
            slow.messages.recv().await,
            Err(broadcast::error::RecvError::Lagged(_))
        ));
    }

    #[tokio::test]
    async fn a_change_from_an_old_snapshot_is_refused_so_no_edit_is_lost() {
        let hub = hub(10, 10, Duration::from_secs(60));
        let a = hub.join("s").await.unwrap();
        assert_eq!(a.snapshot.version, 0);
        // Two members edit from the same snapshot: the first wins, the second must start again.
        assert_eq!(
            hub.publish("s", Some(0), design(1, "1"), "a".into()).await,
            Ok(1)
        );
        assert_eq!(
            hub.publish("s", Some(0), design(2, "2"), "b".into()).await,
            Err(HubError::Changed(1))
        );
        assert_eq!(hub.snapshot("s").await.beam, Some(Value::from(1)));
        assert_eq!(
            hub.publish("s", Some(1), design(2, "2"), "b".into()).await,
            Ok(2)
        );
        // A whole new design replaces whatever is there.
        assert_eq!(
            hub.publish("s", None, design(3, "3"), "c".into()).await,
            Ok(3)
        );
    }
}
