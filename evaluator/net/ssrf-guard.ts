/**
 * SSRF guard for team-supplied endpoint URLs: the URL is parsed the way the HTTP client will
 * parse it (WHATWG URL, which turns `2130706433`, `0177.0.0.1`, `0x7f.1`, `127.1` into
 * `127.0.0.1`), its host is resolved, and the URL is refused when ANY resolved address is not
 * public and not allow-listed. The vetted addresses are returned so the caller can connect to
 * exactly those (see safe-fetch.ts: checking without pinning leaves DNS rebinding open).
 *
 * Refusal reasons name the host, never the path or query (which may carry a key).
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import { classifyAddress, classifyParsedAddress, parseAddress, type ParsedAddress } from './address-policy';
import { allowsHost, allowsParsedAddress, normalizeHostName, toAllowList, type AllowList } from './allow-list';

export { classifyAddress, isPublicAddress, type AddressCategory } from './address-policy';
export { parseAllowList, parseAllowListText, type AllowList } from './allow-list';

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}
/** Resolves a host name to all of its addresses. Injected in tests; defaults to `dns.lookup(all)`. */
export type HostLookup = (hostname: string) => Promise<ResolvedAddress[]>;

export interface EndpointCheckOptions {
  /** Operator allow-list: IPs, CIDRs, host names, `*.suffix` (or a pre-parsed AllowList). */
  allowList?: readonly string[] | AllowList;
  lookup?: HostLookup;
}

export type EndpointCheck =
  | { ok: true; url: URL; addresses: string[] }
  | { ok: false; reason: string; code: 'refused' | 'unresolvable' };

export const systemLookup: HostLookup = async (hostname) => {
  const answers = await dnsLookup(hostname, { all: true });
  return answers.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

/** Names that always mean this machine or the cloud metadata service, whatever DNS says. */
function isReservedName(name: string): boolean {
  return (
    name === 'localhost' ||
    name.endsWith('.localhost') ||
    name === 'localhost.localdomain' ||
    name === 'ip6-localhost' ||
    name === 'ip6-loopback' ||
    name === 'metadata.google.internal' ||
    name === 'metadata'
  );
}

const refuse = (reason: string): EndpointCheck => ({ ok: false, reason, code: 'refused' });

function describe(address: string): string {
  return `${address} (${classifyAddress(address).replace(/_/g, ' ')})`;
}

function isAcceptable(list: AllowList, parsed: ParsedAddress): boolean {
  return allowsParsedAddress(list, parsed) || classifyParsedAddress(parsed) === 'public';
}

/** Checks an endpoint URL; never throws for bad input, answers with a reason instead. */
export async function checkEndpointUrl(url: string | URL, opts: EndpointCheckOptions = {}): Promise<EndpointCheck> {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
  } catch {
    return refuse('the endpoint URL is not a valid absolute URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return refuse(`the endpoint URL must use http or https, not ${parsed.protocol.replace(/:$/, '')}`);
  }
  if (parsed.username || parsed.password) {
    return refuse('the endpoint URL must not carry credentials; give the token separately');
  }
  const allowList = toAllowList(opts.allowList);
  const host = parsed.hostname;
  const literal = parseAddress(host);

  if (literal) {
    const address = host.replace(/^\[|\]$/g, '');
    if (isAcceptable(allowList, literal)) {
      return { ok: true, url: parsed, addresses: [address] };
    }
    return refuse(`the endpoint host ${host} is ${describe(address)}, which is not allowed`);
  }

  const name = normalizeHostName(host);
  if (name === '') return refuse('the endpoint URL has no host');
  const hostAllowed = allowsHost(allowList, name);
  if (!hostAllowed && isReservedName(name)) {
    return refuse(`the endpoint host ${name} names this machine or a metadata service`);
  }

  let answers: ResolvedAddress[];
  try {
    answers = await (opts.lookup ?? systemLookup)(host);
  } catch (e) {
    const code = (e as { code?: string }).code;
    return { ok: false, code: 'unresolvable', reason: `the endpoint host ${name} could not be resolved${code ? ` (${code})` : ''}` };
  }
  if (answers.length === 0) {
    return { ok: false, code: 'unresolvable', reason: `the endpoint host ${name} has no addresses` };
  }
  const addresses = [...new Set(answers.map((a) => a.address))];
  for (const address of addresses) {
    const ip = parseAddress(address);
    if (ip === null) {
      return refuse(`the endpoint host ${name} resolved to something that is not an IP address`);
    }
    if (!hostAllowed && !isAcceptable(allowList, ip)) {
      return refuse(`the endpoint host ${name} resolves to ${describe(address)}, which is not allowed`);
    }
  }
  return { ok: true, url: parsed, addresses };
}
