//! The watchdog of the open connections (docs/operations.md, "Connections"): each connection's
//! request-head deadline, and the signal to close at shutdown.
//!
//! Both are asked about on every request, so both are made cheap. Each connection has one slot
//! holding its task's waker: the head deadline hyper arms for every request is an atomic store into
//! it (Tokio's timer would put each deadline into its wheel and take it out again), and one task
//! looks at the slots [`TICK`] apart and wakes each connection whose deadline has passed, which
//! hyper then closes; a deadline is thus kept to within one tick. At shutdown every slot is woken at
//! once, and a connection asks a flag whether to close, rather than polling a channel every time it
//! is woken.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use futures_util::task::AtomicWaker;
use hyper::rt::{Sleep, Timer};

/// How often the deadlines are looked at: how late a passed deadline may be noticed.
pub const TICK: Duration = Duration::from_millis(250);

/// The slots of the open connections.
pub struct Watchdog {
    slots: Mutex<Vec<Weak<Slot>>>,
    /// The instant deadlines are counted from.
    epoch: Instant,
    stopping: AtomicBool,
}

/// One connection: its task's waker and its armed head deadline, 0 when none is armed, else the
/// deadline in milliseconds after the epoch (the high 48 bits) and the number of the sleep that
/// armed it (the low 16), so that a sleep dropped after another has armed the slot leaves the newer
/// deadline in place.
struct Slot {
    waker: AtomicWaker,
    armed: AtomicU64,
    sleeps: AtomicU32,
}

impl Watchdog {
    /// A watchdog whose task looks at the deadlines every [`TICK`] for as long as the watchdog lives
    /// (it must be made inside a Tokio runtime).
    pub fn start() -> Arc<Watchdog> {
        let watchdog = Arc::new(Watchdog {
            slots: Mutex::new(Vec::new()),
            epoch: now(),
            stopping: AtomicBool::new(false),
        });
        let watched = Arc::downgrade(&watchdog);
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(TICK);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                let Some(watchdog) = watched.upgrade() else {
                    break;
                };
                watchdog.wake_expired();
            }
        });
        watchdog
    }

    /// The slot of one new connection.
    pub fn watch(self: &Arc<Self>) -> Watched {
        let slot = Arc::new(Slot {
            waker: AtomicWaker::new(),
            armed: AtomicU64::new(0),
            sleeps: AtomicU32::new(0),
        });
        self.lock().push(Arc::downgrade(&slot));
        Watched {
            slot,
            watchdog: self.clone(),
        }
    }

    /// Tells every connection to close, and wakes each so that it hears it now.
    pub fn stop_all(&self) {
        self.stopping.store(true, Ordering::SeqCst);
        for slot in self.lock().iter().filter_map(Weak::upgrade) {
            slot.waker.wake();
        }
    }

    /// A guard that tells every connection to close when it is dropped, however the holder ends.
    pub fn stop_guard(self: &Arc<Self>) -> StopGuard {
        StopGuard(self.clone())
    }

    fn lock(&self) -> MutexGuard<'_, Vec<Weak<Slot>>> {
        // A panic while the list was held leaves it whole (pushes and retains only).
        self.slots.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Wakes every connection whose armed deadline has passed, and forgets closed connections.
    fn wake_expired(&self) {
        // Rounded down where deadlines are rounded up: a connection woken has passed its deadline.
        let now = u64::try_from(now().saturating_duration_since(self.epoch).as_millis())
            .unwrap_or(u64::MAX);
        self.lock().retain(|slot| match slot.upgrade() {
            Some(slot) => {
                let armed = slot.armed.load(Ordering::Acquire);
                if armed != 0 && armed >> 16 <= now {
                    slot.waker.wake();
                }
                true
            }
            None => false,
        });
    }
}

/// Calls [`Watchdog::stop_all`] when dropped.
pub struct StopGuard(Arc<Watchdog>);

impl Drop for StopGuard {
    fn drop(&mut self) {
        self.0.stop_all();
    }
}

/// The time on Tokio's clock (the system's, except in tests that stop it).
fn now() -> Instant {
    tokio::time::Instant::now().into_std()
}

/// Milliseconds from `epoch` to `at`, rounded up (a deadline is never brought forward), at least 1.
fn millis_since(epoch: Instant, at: Instant) -> u64 {
    let since = at.saturating_duration_since(epoch);
    let millis = since
        .as_secs()
        .saturating_mul(1000)
        .saturating_add(u64::from(since.subsec_nanos().div_ceil(1_000_000)));
    millis.clamp(1, u64::MAX >> 16)
}

/// One connection's slot, as its task sees it.
pub struct Watched {
    slot: Arc<Slot>,
    watchdog: Arc<Watchdog>,
}

impl Watched {
    /// Whether the connection is to close; until it is, a shutdown wakes the task that asked
    /// (`cx`'s). A connection's task asks this every time it is polled until it closes.
    pub fn stopping(&self, cx: &Context<'_>) -> bool {
        // Registered before the flag is read: a shutdown that sets the flag after this read wakes
        // this waker; one before it is answered by the read.
        self.slot.waker.register(cx.waker());
        self.watchdog.stopping.load(Ordering::SeqCst)
    }

    /// The timer hyper is given for this connection's head deadlines.
    pub fn timer(&self) -> ConnectionTimer {
        ConnectionTimer {
            slot: self.slot.clone(),
            epoch: self.watchdog.epoch,
        }
    }
}

/// The timer hyper is given for one connection. Its sleeps wake the connection's task through the
/// slot's waker.
pub struct ConnectionTimer {
    slot: Arc<Slot>,
    epoch: Instant,
}

impl ConnectionTimer {
    fn arm(&self, deadline: Instant) -> HeadSleep {
        let number = u64::from(self.slot.sleeps.fetch_add(1, Ordering::Relaxed) & 0xffff);
        let armed = (millis_since(self.epoch, deadline) << 16) | number;
        self.slot.armed.store(armed, Ordering::Release);
        HeadSleep {
            slot: self.slot.clone(),
            deadline,
            armed,
        }
    }
}

impl Timer for ConnectionTimer {
    fn now(&self) -> Instant {
        now()
    }

    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Sleep>> {
        self.sleep_until(now() + duration)
    }

    fn sleep_until(&self, deadline: Instant) -> Pin<Box<dyn Sleep>> {
        Box::pin(self.arm(deadline))
    }

    fn reset(&self, sleep: &mut Pin<Box<dyn Sleep>>, new_deadline: Instant) {
        match sleep.as_mut().downcast_mut_pin::<HeadSleep>() {
            Some(mut own) => {
                // The new sleep arms the slot before the old one lets go of it.
                own.set(self.arm(new_deadline));
            }
            None => *sleep = self.sleep_until(new_deadline),
        }
    }
}

/// A head deadline: ready once it has passed. Hyper polls it only from the connection's own task, so
/// the slot's one waker serves both the deadline and the shutdown.
pub struct HeadSleep {
    slot: Arc<Slot>,
    deadline: Instant,
    armed: u64,
}

impl Future for HeadSleep {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // Registered before the clock is read: a tick that finds the deadline passed after this
        // read wakes this waker; one before it is answered by the read.
        self.slot.waker.register(cx.waker());
        if now() >= self.deadline {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }
}

impl Sleep for HeadSleep {}

impl Drop for HeadSleep {
    fn drop(&mut self) {
        // Disarms the slot only if this sleep is still the one that armed it.
        let _ =
            self.slot
                .armed
                .compare_exchange(self.armed, 0, Ordering::AcqRel, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Waits for `sleep` the way a connection's task does: asking the slot on every poll.
    async fn wait(watched: &Watched, mut sleep: Pin<Box<dyn Sleep>>) -> bool {
        std::future::poll_fn(|cx| {
            if sleep.as_mut().poll(cx).is_ready() {
                return Poll::Ready(false);
            }
            if watched.stopping(cx) {
                Poll::Ready(true)
            } else {
                Poll::Pending
            }
        })
        .await
    }

    #[tokio::test(start_paused = true)]
    async fn a_deadline_wakes_its_connection_within_a_tick() {
        let watchdog = Watchdog::start();
        let watched = watchdog.watch();
        let started = tokio::time::Instant::now();
        let stopped = wait(&watched, watched.timer().sleep(Duration::from_secs(1))).await;
        let waited = started.elapsed();
        assert!(!stopped);
        assert!(waited >= Duration::from_secs(1), "{waited:?}");
        assert!(waited <= Duration::from_secs(1) + TICK, "{waited:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn a_dropped_deadline_disarms_only_its_own_slot() {
        let watchdog = Watchdog::start();
        let timer = watchdog.watch().timer();
        // The same deadline twice: only the sleep's number tells them apart.
        let deadline = now() + Duration::from_secs(1);
        let first = timer.sleep_until(deadline);
        let second = timer.sleep_until(deadline);
        drop(first);
        assert_ne!(timer.slot.armed.load(Ordering::Acquire), 0);
        drop(second);
        assert_eq!(timer.slot.armed.load(Ordering::Acquire), 0);
    }

    #[tokio::test(start_paused = true)]
    async fn a_reset_deadline_moves() {
        let watchdog = Watchdog::start();
        let watched = watchdog.watch();
        let timer = watched.timer();
        let mut sleep = timer.sleep(Duration::from_secs(5));
        let started = tokio::time::Instant::now();
        timer.reset(&mut sleep, now() + Duration::from_secs(1));
        let waited = tokio::time::timeout(Duration::from_secs(3), wait(&watched, sleep)).await;
        assert_eq!(waited, Ok(false), "the reset deadline was lost");
        let elapsed = started.elapsed();
        assert!(elapsed >= Duration::from_secs(1), "{elapsed:?}");
        assert!(elapsed <= Duration::from_secs(1) + TICK, "{elapsed:?}");
    }

    #[tokio::test(start_paused = true)]
    async fn a_shutdown_wakes_every_connection_at_once() {
        let watchdog = Watchdog::start();
        let watched = watchdog.watch();
        let waiting = tokio::spawn({
            let sleep = watched.timer().sleep(Duration::from_secs(60));
            async move { wait(&watched, sleep).await }
        });
        tokio::task::yield_now().await;
        let started = tokio::time::Instant::now();
        watchdog.stop_all();
        assert!(waiting.await.unwrap());
        assert!(started.elapsed() < TICK);
    }

    #[tokio::test(start_paused = true)]
    async fn closed_connections_are_forgotten() {
        let watchdog = Watchdog::start();
        drop(watchdog.watch());
        let kept = watchdog.watch();
        tokio::time::sleep(TICK * 2).await;
        assert_eq!(watchdog.lock().len(), 1);
        drop(kept);
    }
}
