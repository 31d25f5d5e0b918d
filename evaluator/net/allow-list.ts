/**
 * Operator allow-list: addresses and host names that endpoint URLs may reach although the
 * SSRF policy would refuse them (local demos, tests, an inference cluster on a private network).
 *
 * Entries: an IP (`127.0.0.1`, `::1`), a CIDR (`127.0.0.1/32`, `10.0.0.0/8`, `fd00::/8`), a host
 * name (`vllm.internal`) or a wildcard suffix (`*.internal`). A host-name entry opens that name
 * whatever it resolves to; the connection is still pinned to the addresses seen at check time.
 */
import ipaddr from 'ipaddr.js';
import { parseAddress, type ParsedAddress } from './address-policy';

export interface AllowList {
  readonly ranges: ReadonlyArray<[ipaddr.IPv4 | ipaddr.IPv6, number]>;
  readonly hosts: ReadonlySet<string>;
  readonly hostSuffixes: readonly string[];
  readonly entries: readonly string[];
}

export const EMPTY_ALLOW_LIST: AllowList = { ranges: [], hosts: new Set(), hostSuffixes: [], entries: [] };

const HOST_NAME = /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

/** Lower-cases and drops trailing dots, so `LOCALHOST.` and `localhost` compare equal. */
export function normalizeHostName(host: string): string {
  return host.toLowerCase().replace(/\.+$/, '');
}

/**
 * Parses operator entries. Throws naming the entry (position and text) that is neither an IP,
 * a CIDR nor a host name, so a typo in configuration fails at start-up rather than silently.
 */
export function parseAllowList(entries: readonly string[]): AllowList {
  const ranges: Array<[ipaddr.IPv4 | ipaddr.IPv6, number]> = [];
  const hosts = new Set<string>();
  const hostSuffixes: string[] = [];
  entries.forEach((raw, index) => {
    const entry = raw.trim();
    const where = `allow-list entry ${index + 1} (${JSON.stringify(raw)})`;
    if (entry.includes('/')) {
      if (!ipaddr.isValidCIDR(entry)) throw new Error(`${where} is not a valid CIDR such as 127.0.0.1/32`);
      ranges.push(ipaddr.parseCIDR(entry));
      return;
    }
    const address = parseAddress(entry);
    if (address) {
      ranges.push([address, address.kind() === 'ipv4' ? 32 : 128]);
      return;
    }
    const name = normalizeHostName(entry);
    if (name.startsWith('*.') && HOST_NAME.test(name.slice(2))) {
      hostSuffixes.push(name.slice(1)); // keeps the leading dot: `*.internal` -> `.internal`
      return;
    }
    if (!HOST_NAME.test(name)) throw new Error(`${where} is neither an IP address, a CIDR nor a host name`);
    hosts.add(name);
  });
  return { ranges, hosts, hostSuffixes, entries: [...entries] };
}

/** Parses an allow-list written as one string (env var): entries separated by commas or spaces. */
export function parseAllowListText(text: string | undefined): AllowList {
  return parseAllowList((text ?? '').split(/[\s,]+/).filter(Boolean));
}

export function toAllowList(list: readonly string[] | AllowList | undefined): AllowList {
  if (!list) return EMPTY_ALLOW_LIST;
  return Array.isArray(list) ? parseAllowList(list) : (list as AllowList);
}

export function allowsHost(list: AllowList, host: string): boolean {
  const name = normalizeHostName(host);
  return list.hosts.has(name) || list.hostSuffixes.some((suffix) => name.endsWith(suffix));
}

/** True when an allow-listed range holds the address (an IPv4-mapped IPv6 also matches IPv4 ranges). */
export function allowsParsedAddress(list: AllowList, parsed: ParsedAddress): boolean {
  if (list.ranges.length === 0) return false;
  const candidates: Array<ipaddr.IPv4 | ipaddr.IPv6> = [parsed];
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    candidates.push((parsed as ipaddr.IPv6).toIPv4Address());
  }
  return list.ranges.some(([base, bits]) =>
    candidates.some((c) => c.kind() === base.kind() && c.match(base, bits)),
  );
}
