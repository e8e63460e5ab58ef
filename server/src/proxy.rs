//! Behind a reverse proxy: which peers are trusted proxies (`--trusted-proxy CIDR…`) and the
//! client address they forward (`Forwarded: for=` or `X-Forwarded-For`).
//!
//! The forwarded headers are believed only when the peer itself is trusted: anyone can send
//! them, so believing a direct client would let it pick its own rate-limit counter. In the
//! chain a proxy appends to, the client is the right-most address that is not a trusted proxy
//! (everything to its left was written by the client and may be forged).

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

/// An address block, `10.0.0.0/8` or `2001:db8::/32`; a bare address is a block of one.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    network: IpAddr,
    prefix: u8,
}

/// Why a CIDR does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not an address block like 10.0.0.0/8 or 2001:db8::/32")]
pub struct BadCidr(String);

impl FromStr for Cidr {
    type Err = BadCidr;

    fn from_str(s: &str) -> Result<Self, BadCidr> {
        let bad = || BadCidr(s.to_owned());
        let (addr, prefix) = match s.trim().split_once('/') {
            Some((addr, prefix)) => (addr, Some(prefix)),
            None => (s.trim(), None),
        };
        let network: IpAddr = addr.parse().map_err(|_| bad())?;
        let max = bits(network);
        let prefix = match prefix {
            None => max,
            Some(p) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => {
                p.parse::<u8>().ok().filter(|p| *p <= max).ok_or_else(bad)?
            }
            Some(_) => return Err(bad()),
        };
        Ok(Self { network, prefix })
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

impl fmt::Debug for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Address width in bits.
fn bits(ip: IpAddr) -> u8 {
    match ip {
        IpAddr::V4(_) => 32,
        IpAddr::V6(_) => 128,
    }
}

/// The address as a 128-bit number, IPv4 in the low 32 bits.
fn as_number(ip: IpAddr) -> u128 {
    match ip {
        IpAddr::V4(v4) => u128::from(u32::from(v4)),
        IpAddr::V6(v6) => u128::from(v6),
    }
}

impl Cidr {
    /// Whether `ip` lies in the block. An IPv4-mapped IPv6 address (`::ffff:10.0.0.1`, as a
    /// dual-stack socket reports IPv4 peers) counts as its IPv4 address.
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = match ip {
            IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
            v4 => v4,
        };
        if bits(ip) != bits(self.network) {
            return false;
        }
        let host_bits = u32::from(bits(ip) - self.prefix);
        let mask = u128::MAX.checked_shl(host_bits).unwrap_or(0);
        as_number(ip) & mask == as_number(self.network) & mask
    }
}

/// The forwarded chain, left (client side) to right (nearest proxy): `Forwarded` `for=` values
/// when that header is present, else `X-Forwarded-For`. An entry that is no address
/// (`for=unknown`, an obfuscated `_name`) is `None`.
fn chain(forwarded: Option<&str>, x_forwarded_for: Option<&str>) -> Vec<Option<IpAddr>> {
    if let Some(header) = forwarded {
        return header
            .split(',')
            .filter_map(|element| {
                element.split(';').find_map(|pair| {
                    let (key, value) = pair.split_once('=')?;
                    key.trim()
                        .eq_ignore_ascii_case("for")
                        .then(|| node_address(value.trim().trim_matches('"')))
                })
            })
            .collect();
    }
    x_forwarded_for
        .map(|h| h.split(',').map(|e| node_address(e.trim())).collect())
        .unwrap_or_default()
}

/// An address with or without a port: `192.0.2.1`, `192.0.2.1:4711`, `[2001:db8::1]:4711`,
/// `2001:db8::1`.
fn node_address(node: &str) -> Option<IpAddr> {
    if let Ok(ip) = node.parse() {
        return Some(ip);
    }
    if let Some(rest) = node.strip_prefix('[') {
        return rest.split_once(']')?.0.parse().ok();
    }
    let (host, port) = node.rsplit_once(':')?;
    port.bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| host.parse().ok())
        .flatten()
}

/// The client's address: the peer's, unless the peer is a trusted proxy, then the right-most
/// forwarded address that is not one (the left-most when all are). A chain that names no
/// usable address there leaves the peer.
pub fn client_address(
    peer: IpAddr,
    trusted: &[Cidr],
    forwarded: Option<&str>,
    x_forwarded_for: Option<&str>,
) -> IpAddr {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|c| c.contains(ip));
    if !is_trusted(peer) {
        return peer;
    }
    let mut client = peer;
    for entry in chain(forwarded, x_forwarded_for).into_iter().rev() {
        match entry {
            Some(ip) if is_trusted(ip) => client = ip,
            Some(ip) => return ip,
            None => return peer,
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn cidr(s: &str) -> Cidr {
        s.parse().unwrap()
    }

    #[test]
    fn ipv4_blocks_contain_their_addresses_only() {
        let block = cidr("10.1.0.0/16");
        assert!(block.contains(ip("10.1.0.0")));
        assert!(block.contains(ip("10.1.255.255")));
        assert!(!block.contains(ip("10.2.0.0")));
        assert!(!block.contains(ip("::1")));
        assert!(
            block.contains(ip("::ffff:10.1.2.3")),
            "an IPv4-mapped peer is its IPv4 address"
        );
        assert!(cidr("0.0.0.0/0").contains(ip("203.0.113.9")));
        assert!(cidr("127.0.0.1").contains(ip("127.0.0.1")));
        assert!(!cidr("127.0.0.1").contains(ip("127.0.0.2")));
        assert!(cidr("192.168.1.7/24").contains(ip("192.168.1.200")));
    }

    #[test]
    fn ipv6_blocks_contain_their_addresses_only() {
        let block = cidr("2001:db8::/32");
        assert!(block.contains(ip("2001:db8:ffff::1")));
        assert!(!block.contains(ip("2001:db9::1")));
        assert!(!block.contains(ip("10.0.0.1")));
        assert!(cidr("::/0").contains(ip("fe80::1")));
        assert!(cidr("::1/128").contains(ip("::1")));
        assert!(cidr("fd00::/7").contains(ip("fdff::1")));
        assert!(!cidr("fd00::/8").contains(ip("fe00::1")));
    }

    #[test]
    fn malformed_blocks_are_refused() {
        for bad in [
            "",
            "10.0.0.0/33",
            "::/129",
            "10.0.0/8",
            "10.0.0.0/",
            "10.0.0.0/+8",
            "10.0.0.0/8/8",
            "example.org/8",
        ] {
            assert!(bad.parse::<Cidr>().is_err(), "{bad:?}");
        }
        assert_eq!(cidr(" 10.0.0.0/8 ").to_string(), "10.0.0.0/8");
    }

    #[test]
    fn forwarded_addresses_count_only_behind_a_trusted_peer() {
        let trusted = [cidr("10.0.0.0/8"), cidr("::1/128")];
        let peer = ip("10.0.0.2");
        let stranger = ip("198.51.100.7");
        assert_eq!(
            client_address(stranger, &trusted, None, Some("203.0.113.1")),
            stranger,
            "an untrusted peer's header is ignored"
        );
        assert_eq!(
            client_address(peer, &trusted, None, Some("1.1.1.1, 203.0.113.1, 10.0.0.9")),
            ip("203.0.113.1"),
            "the right-most untrusted entry; the forged left one is ignored"
        );
        assert_eq!(
            client_address(peer, &trusted, None, Some("10.0.0.8, 10.0.0.9")),
            ip("10.0.0.8"),
            "all trusted: the left-most"
        );
        assert_eq!(client_address(peer, &trusted, None, None), peer);
        assert_eq!(
            client_address(peer, &trusted, None, Some("garbage")),
            peer,
            "no usable address: the peer"
        );
        assert_eq!(
            client_address(
                ip("::1"),
                &trusted,
                Some("for=192.0.2.43, for=\"[2001:db8:cafe::17]:4711\";proto=https"),
                Some("203.0.113.1"),
            ),
            ip("2001:db8:cafe::17"),
            "Forwarded wins over X-Forwarded-For, ports and brackets stripped"
        );
        assert_eq!(
            client_address(peer, &trusted, Some("for=unknown"), None),
            peer
        );
        assert_eq!(
            client_address(peer, &trusted, None, Some("203.0.113.1:5555")),
            ip("203.0.113.1")
        );
        assert_eq!(client_address(peer, &[], None, Some("203.0.113.1")), peer);
    }
}
