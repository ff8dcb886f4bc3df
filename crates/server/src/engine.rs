//! Every design the service runs goes through [`run`]: a panic in the engine (a defect, never the
//! input's fault) becomes an internal error for that one design, logged, instead of taking down the
//! batch job, the WebSocket connection or the HTTP connection it ran in (docs/http.md, "Errors").

use std::panic::{catch_unwind, AssertUnwindSafe};

/// A design the engine could not finish.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineFault {
    /// The panic's message, for the log only: clients are told no more than that it happened.
    pub cause: String,
}

impl EngineFault {
    /// What a client is told.
    pub const MESSAGE: &'static str =
        "the design could not be completed (an internal fault, logged); the input was not at fault";
}

/// Runs one design. The engine is pure (it shares nothing between designs), so nothing it leaves
/// half-done after a panic is seen again.
pub fn run<T>(design: impl FnOnce() -> T) -> Result<T, EngineFault> {
    catch_unwind(AssertUnwindSafe(design)).map_err(|payload| {
        let cause = payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "a panic without a message".to_owned());
        tracing::error!(%cause, "the engine panicked during a design");
        EngineFault { cause }
    })
}

/// Held by the tests that make the engine panic: `tracing` remembers, per log line, whether anyone
/// listens, so a test that captures the log must not share that line with a test that does not.
#[cfg(test)]
pub(crate) static PANICKING: std::sync::Mutex<()> = std::sync::Mutex::new(());

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_a_fault_with_its_message() {
        let _one_at_a_time = PANICKING.lock().unwrap_or_else(|e| e.into_inner());
        let fault = run(|| -> u32 { panic!("index out of bounds") }).unwrap_err();
        assert_eq!(fault.cause, "index out of bounds");
        let formatted = run(|| -> u32 { panic!("{} bars", 3) }).unwrap_err();
        assert_eq!(formatted.cause, "3 bars");
        assert_eq!(run(|| 7), Ok(7));
    }
}
