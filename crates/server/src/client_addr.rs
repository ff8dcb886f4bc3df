//! The client's address behind proxies: with `trust_proxy`, the rightmost address of
//! `X-Forwarded-For` (after the peer itself) that is not one of the trusted proxies. Entries to the
//! left of it were written by the client and prove nothing; the leftmost is never taken on trust.

use std::future::Future;
use std::net::{IpAddr, SocketAddr};

use axum::http::HeaderMap;
use tokio::task::futures::TaskLocalFuture;

tokio::task_local! {
    /// The peer of the connection being served: set once for the connection's task, where every
    /// request of the connection is answered (cheaper than an extension inserted into each request).
    static PEER: SocketAddr;
}

/// `connection` served with `peer` as its peer address.
pub fn serving<F: Future>(peer: SocketAddr, connection: F) -> TaskLocalFuture<SocketAddr, F> {
    PEER.scope(peer, connection)
}

/// The peer of the connection whose request is being answered (none outside a connection's task).
pub fn peer() -> Option<SocketAddr> {
    PEER.try_with(|p| *p).ok()
}

/// A network in CIDR notation: `10.0.0.0/8`, `::1/128`, or a bare address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    net: IpAddr,
    prefix: u8,
}

impl Cidr {
    pub fn parse(s: &str) -> Option<Cidr> {
        let s = s.trim();
        let (addr, prefix) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p.parse::<u8>().ok()?)),
            None => (s, None),
        };
        let net: IpAddr = addr.parse().ok()?;
        let max = if net.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(max);
        (prefix <= max).then_some(Cidr { net, prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        match (self.net, ip) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(ip) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(ip) & mask
            }
            _ => false,
        }
    }
}

/// An IPv4 address mapped into IPv6 (`::ffff:a.b.c.d`) is the IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

/// The proxies trusted when none are configured: this machine.
pub const DEFAULT_TRUSTED: [&str; 2] = ["127.0.0.0/8", "::1/128"];

/// The client address: the peer; or, when `trust_proxy` is on and the peer is a trusted proxy, the
/// rightmost `X-Forwarded-For` address that is not a trusted proxy (`X-Real-IP` when there is no
/// `X-Forwarded-For`). When every address is a trusted proxy, the leftmost of them.
pub fn client_ip(
    headers: &HeaderMap,
    peer: Option<SocketAddr>,
    trust_proxy: bool,
    trusted: &[Cidr],
) -> Option<IpAddr> {
    let peer = peer.map(|p| canonical(p.ip()));
    let is_trusted = |ip: IpAddr| trusted.iter().any(|c| c.contains(ip));
    if !trust_proxy || !peer.is_some_and(is_trusted) {
        return peer;
    }
    let mut chain: Vec<IpAddr> = Vec::new();
    for value in headers.get_all("x-forwarded-for") {
        let Ok(text) = value.to_str() else {
            return peer;
        };
        for entry in text.split(',') {
            match entry.trim().parse::<IpAddr>() {
                Ok(ip) => chain.push(canonical(ip)),
                // A hop that cannot be read ends what can be believed.
                Err(_) => chain.clear(),
            }
        }
    }
    if chain.is_empty() {
        let real = headers
            .get("x-real-ip")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<IpAddr>().ok());
        return real.map(canonical).or(peer);
    }
    chain
        .iter()
        .rev()
        .find(|&&ip| !is_trusted(ip))
        .or(chain.first())
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn cidrs(list: &[&str]) -> Vec<Cidr> {
        list.iter().map(|s| Cidr::parse(s).unwrap()).collect()
    }

    fn xff(v: &'static str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", HeaderValue::from_static(v));
        h
    }

    const LOCAL: Option<SocketAddr> = Some(SocketAddr::new(
        IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
        5000,
    ));

    #[test]
    fn cidr_membership() {
        let c = Cidr::parse("10.1.0.0/16").unwrap();
        assert!(c.contains("10.1.200.3".parse().unwrap()));
        assert!(!c.contains("10.2.0.1".parse().unwrap()));
        assert!(Cidr::parse("0.0.0.0/0")
            .unwrap()
            .contains("8.8.8.8".parse().unwrap()));
        assert!(Cidr::parse("::1").unwrap().contains("::1".parse().unwrap()));
        assert!(Cidr::parse("127.0.0.0/8")
            .unwrap()
            .contains("::ffff:127.0.0.5".parse().unwrap()));
        assert_eq!(Cidr::parse("10.0.0.0/33"), None);
        assert_eq!(Cidr::parse("nonsense"), None);
    }

    #[test]
    fn the_rightmost_untrusted_address_wins_never_the_leftmost() {
        let trusted = cidrs(&["127.0.0.0/8", "10.0.0.0/8"]);
        // The client wrote 6.6.6.6 itself; the proxy appended what it saw.
        let h = xff("6.6.6.6, 203.0.113.9, 10.0.0.7");
        assert_eq!(
            client_ip(&h, LOCAL, true, &trusted).unwrap().to_string(),
            "203.0.113.9"
        );
        // Off: the peer.
        assert_eq!(
            client_ip(&h, LOCAL, false, &trusted).unwrap().to_string(),
            "127.0.0.1"
        );
        // A peer that is not a trusted proxy is the client, whatever it claims.
        let stranger = Some(SocketAddr::from(([198, 51, 100, 4], 1)));
        assert_eq!(
            client_ip(&h, stranger, true, &trusted).unwrap().to_string(),
            "198.51.100.4"
        );
        // Every hop trusted: the leftmost of them.
        let h = xff("10.0.0.9, 10.0.0.7");
        assert_eq!(
            client_ip(&h, LOCAL, true, &trusted).unwrap().to_string(),
            "10.0.0.9"
        );
        // Garbage before a readable hop is dropped.
        let h = xff("not-an-ip, 203.0.113.9");
        assert_eq!(
            client_ip(&h, LOCAL, true, &trusted).unwrap().to_string(),
            "203.0.113.9"
        );
    }
}
