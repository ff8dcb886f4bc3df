//! The exit codes the commands share (docs/cli.md): 0 when the design succeeds, 1 when a check
//! fails, 2 when the input is invalid.

pub const EXIT_FAIL: u8 = 1;
pub const EXIT_INVALID: u8 = 2;
