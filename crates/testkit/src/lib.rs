//! What the test suites of several crates share (a dev-dependency only): a `redis-server` of a
//! test's own on a loopback port, waiting for a port to listen, and reading the entities of a DXF
//! file back.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Waits until something listens on loopback `port`; `what` names it if nothing does within 10 s.
pub fn wait_for_port(port: u16, what: &str) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "{what} did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A loopback port nothing listens on now.
pub fn free_port() -> Option<u16> {
    Some(
        std::net::TcpListener::bind("127.0.0.1:0")
            .ok()?
            .local_addr()
            .ok()?
            .port(),
    )
}

/// Starts a tool a test needs (a Debian package of the same name), its output discarded. Where it is
/// not installed: `None` with a message, unless `BEAMLINE_REQUIRE_ALL=1` (as in CI), which makes that
/// a failure.
pub fn spawn_tool(command: &mut Command, package: &str) -> Option<Child> {
    match command.stdout(Stdio::null()).stderr(Stdio::null()).spawn() {
        Ok(child) => Some(child),
        Err(_) if std::env::var("BEAMLINE_REQUIRE_ALL").as_deref() != Ok("1") => {
            eprintln!("skipped: {package} is not installed (apt-get install {package})");
            None
        }
        Err(e) => panic!("{package}: {e}"),
    }
}

/// A redis-server of its own on a loopback port, without persistence; killed when dropped.
pub struct Redis {
    child: Child,
    pub port: u16,
}

impl Redis {
    /// On a free port; `None` (with a message) where redis-server is not installed, unless
    /// `BEAMLINE_REQUIRE_ALL=1` (as in CI), which makes that a failure.
    pub fn start() -> Option<Redis> {
        Redis::on(free_port()?)
    }

    /// On `port` (a restart on the port a stopped one had).
    pub fn on(port: u16) -> Option<Redis> {
        let child = spawn_tool(
            Command::new("redis-server").args([
                "--port",
                &port.to_string(),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ]),
            "redis-server",
        )?;
        wait_for_port(port, "redis-server");
        Some(Redis { child, port })
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/", self.port)
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// (entity, layer, text) of every entity of a DXF R12 file: the values after the `0`, `8` and `1`
/// group codes of its ENTITIES section.
pub fn dxf_entities(dxf: &str) -> Vec<(String, String, String)> {
    let lines: Vec<&str> = dxf.lines().collect();
    let body = lines
        .iter()
        .position(|l| *l == "ENTITIES")
        .expect("an ENTITIES section");
    let mut out: Vec<(String, String, String)> = Vec::new();
    for pair in lines[body + 1..].chunks(2) {
        match (pair[0].trim(), pair.get(1).copied().unwrap_or("")) {
            ("0", "ENDSEC") => break,
            ("0", kind) => out.push((kind.to_owned(), String::new(), String::new())),
            ("8", layer) => out.last_mut().expect("an entity").1 = layer.to_owned(),
            ("1", text) => out.last_mut().expect("an entity").2 = text.to_owned(),
            _ => {}
        }
    }
    out
}
