/**
 * Which IP addresses an endpoint may point at. Pure: no DNS, no sockets.
 *
 * The policy is an allow-list of address kinds, not a block-list: IPv4 is public only when
 * ipaddr.js calls it plain `unicast`; IPv6 is public only inside global unicast 2000::/3 and
 * outside every special range. IPv6 forms that carry an IPv4 address (mapped, compatible,
 * SIIT, NAT64, 6to4) are judged by the IPv4 address they carry, because that is where the
 * packets end up.
 */
import ipaddr from 'ipaddr.js';
import { isIP } from 'node:net';

export type AddressCategory =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link_local'
  | 'cloud_metadata'
  | 'multicast'
  | 'broadcast'
  | 'unspecified'
  | 'carrier_grade_nat'
  | 'unique_local'
  | 'reserved'
  | 'invalid';

/**
 * Cloud metadata and platform services. Most sit inside ranges refused anyway; they are named
 * so refusals say why, and because 168.63.129.16 (Azure WireServer) is in public space.
 */
const CLOUD_METADATA_ADDRESSES = new Set([
  '169.254.169.254', // AWS, GCP, Azure, OpenStack, DigitalOcean
  '169.254.170.2', // AWS ECS task metadata
  '169.254.169.123', // AWS time sync
  '168.63.129.16', // Azure WireServer
  '100.100.100.200', // Alibaba Cloud
  '192.0.0.192', // Oracle Cloud
  'fd00:ec2::254', // AWS IMDS over IPv6
  'fd00:ec2::23', // AWS DNS over IPv6
]);

const IPV4_CATEGORY: Record<string, AddressCategory> = {
  unicast: 'public',
  loopback: 'loopback',
  private: 'private',
  linkLocal: 'link_local',
  multicast: 'multicast',
  broadcast: 'broadcast',
  unspecified: 'unspecified',
  carrierGradeNat: 'carrier_grade_nat',
};

const IPV6_CATEGORY: Record<string, AddressCategory> = {
  unicast: 'public',
  loopback: 'loopback',
  linkLocal: 'link_local',
  deprecatedSiteLocal: 'private',
  uniqueLocal: 'unique_local',
  multicast: 'multicast',
  unspecified: 'unspecified',
};

const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');
const NAT64_WELL_KNOWN = ipaddr.parseCIDR('64:ff9b::/96');

export type ParsedAddress = ipaddr.IPv4 | ipaddr.IPv6;

/**
 * Parses an address as written by DNS or a URL host (brackets and zone id tolerated).
 * Only canonical dotted-quad IPv4 counts (node's isIP): `127.1` or `0177.0.0.1` in a DNS answer
 * is not normal, and URL hosts are already canonicalised by the WHATWG parser.
 */
export function parseAddress(ip: string): ParsedAddress | null {
  const bare = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  const family = isIP(bare);
  if (family === 4) return new ipaddr.IPv4(bare.split('.').map(Number));
  if (family === 6) return ipaddr.IPv6.parse(bare);
  return null;
}

/** The IPv4 address an IPv6 address carries and routes to, or null when it carries none. */
export function embeddedIPv4(v6: ipaddr.IPv6): ipaddr.IPv4 | null {
  const bytes = v6.toByteArray();
  const tail = (from: number) => new ipaddr.IPv4(bytes.slice(from, from + 4));
  const range = v6.range();
  if (range === 'ipv4Mapped' || range === 'rfc6145') return tail(12); // ::ffff:a.b.c.d, ::ffff:0:a.b.c.d
  if (v6.match(NAT64_WELL_KNOWN)) return tail(12); // 64:ff9b::a.b.c.d
  if (range === '6to4') return tail(2); // 2002:AABB:CCDD::/48
  // IPv4-compatible ::a.b.c.d (deprecated, but stacks may still route it). `::` and `::1` are
  // handled as unspecified and loopback before this is asked.
  if (bytes.slice(0, 12).every((b) => b === 0)) return tail(12);
  return null;
}

function classifyV4(v4: ipaddr.IPv4): AddressCategory {
  if (CLOUD_METADATA_ADDRESSES.has(v4.toString())) return 'cloud_metadata';
  return IPV4_CATEGORY[v4.range()] ?? 'reserved';
}

function classifyV6(v6: ipaddr.IPv6): AddressCategory {
  if (CLOUD_METADATA_ADDRESSES.has(v6.toString())) return 'cloud_metadata';
  const range = v6.range();
  if (range === 'unspecified' || range === 'loopback') return IPV6_CATEGORY[range];
  const carried = embeddedIPv4(v6);
  if (carried) return classifyV4(carried);
  const category = IPV6_CATEGORY[range] ?? 'reserved';
  if (category === 'public' && !v6.match(GLOBAL_UNICAST_V6)) return 'reserved';
  return category;
}

/**
 * Classifies one IP address (IPv4 dotted quad or IPv6, optionally in brackets).
 * Anything that is not `public` must not be contacted unless an operator allow-lists it.
 */
export function classifyAddress(ip: string): AddressCategory {
  const parsed = parseAddress(ip);
  return parsed ? classifyParsedAddress(parsed) : 'invalid';
}

export function classifyParsedAddress(parsed: ParsedAddress): AddressCategory {
  // A zone id (fe80::1%eth0) only makes sense for link-local; refuse it whatever the address.
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).zoneId) return 'link_local';
  return parsed.kind() === 'ipv4' ? classifyV4(parsed as ipaddr.IPv4) : classifyV6(parsed as ipaddr.IPv6);
}

export function isPublicAddress(ip: string): boolean {
  return classifyAddress(ip) === 'public';
}
