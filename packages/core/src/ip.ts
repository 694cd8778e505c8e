import ipaddr from 'ipaddr.js';

/**
 * Canonical text form of an IP address: IPv4-mapped IPv6 (`::ffff:1.2.3.4`)
 * becomes plain IPv4, IPv6 is compacted and lower-cased. Returns null for
 * anything that is not an address. Parsing is ipaddr.js's, not a regex of ours.
 */
export function normalizeIp(value: string | undefined | null): string | null {
  if (!value) return null;
  let ip = value.trim();
  if (ip.startsWith('[') && ip.endsWith(']')) ip = ip.slice(1, -1);
  const zone = ip.indexOf('%');
  if (zone >= 0) ip = ip.slice(0, zone);
  if (!ipaddr.isValid(ip)) return null;
  // ipaddr.isValid accepts legacy forms like "127.1"; only canonical dotted quads and IPv6 pass.
  if (!ip.includes(':') && !ipaddr.IPv4.isValidFourPartDecimal(ip)) return null;
  return ipaddr.process(ip).toString();
}

/** A parsed CIDR list, e.g. from `TRUSTED_PROXIES`. */
export type CidrList = ReadonlyArray<[ipaddr.IPv4 | ipaddr.IPv6, number]>;

/** Parses `"10.0.0.0/8, ::1/128, 127.0.0.1"` (a bare address is a /32 or /128). Throws on a bad entry. */
export function parseCidrList(text: string): CidrList {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const [text] = entry.split('/');
      // Same strictness as addresses: legacy short forms like "127.1" are refused, not guessed at.
      if (normalizeIp(text) === null) throw new Error(`not an address: ${entry}`);
      if (entry.includes('/')) {
        const [addr, bits] = ipaddr.parseCIDR(entry);
        return [addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress() ? (addr as ipaddr.IPv6).toIPv4Address() : addr, addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress() ? bits - 96 : bits] as [ipaddr.IPv4 | ipaddr.IPv6, number];
      }
      const addr = ipaddr.process(entry);
      return [addr, addr.kind() === 'ipv4' ? 32 : 128] as [ipaddr.IPv4 | ipaddr.IPv6, number];
    });
}

/** True when `ip` (any form) falls in one of `cidrs`. */
export function ipInCidrs(ip: string, cidrs: CidrList): boolean {
  const normal = normalizeIp(ip);
  if (!normal || cidrs.length === 0) return false;
  const addr = ipaddr.parse(normal);
  return cidrs.some(([range, bits]) => range.kind() === addr.kind() && addr.match(range as never, bits));
}

/**
 * The client IP of a request: the TCP peer, unless the peer is a trusted
 * proxy, in which case the right-most `X-Forwarded-For` entry that is not a
 * trusted proxy. `X-Forwarded-For` from an untrusted peer is ignored.
 */
export function resolveClientIp(peer: string | undefined, forwardedFor: string | string[] | undefined, trusted: CidrList): string | null {
  const peerIp = normalizeIp(peer);
  if (!peerIp || !ipInCidrs(peerIp, trusted) || !forwardedFor) return peerIp;
  const chain = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',').map((s) => s.trim());
  for (let i = chain.length - 1; i >= 0; i--) {
    const hop = normalizeIp(chain[i]);
    if (!hop) return peerIp; // a malformed hop: stop trusting the chain
    if (!ipInCidrs(hop, trusted)) return hop;
  }
  return peerIp;
}
