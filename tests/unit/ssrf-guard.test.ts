import { describe, expect, it } from 'vitest';
import { checkEndpointUrl, classifyAddress, parseAllowList, parseAllowListText, type HostLookup } from '../../evaluator/net/ssrf-guard';

/** A resolver that never touches DNS: unknown names fail like NXDOMAIN. */
function fakeDns(table: Record<string, string[]>): HostLookup & { calls: string[] } {
  const calls: string[] = [];
  const lookup = async (hostname: string) => {
    calls.push(hostname);
    const answers = table[hostname.toLowerCase().replace(/\.$/, '')];
    if (!answers) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return answers.map((address) => ({ address, family: (address.includes(':') ? 6 : 4) as 4 | 6 }));
  };
  return Object.assign(lookup, { calls });
}

const dns = fakeDns({
  'api.example.org': ['93.184.215.14'],
  'v6.example.org': ['2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
  'dual.example.org': ['93.184.215.14', '2606:4700::1111'],
  'internal.example.org': ['10.1.2.3'],
  'sneaky.example.org': ['93.184.215.14', '127.0.0.1'], // one bad answer among good ones
  'meta.example.org': ['169.254.169.254'],
  'mapped.example.org': ['::ffff:10.0.0.1'],
  'ula.example.org': ['fd12:3456::1'],
  'cgnat.example.org': ['100.64.0.1'],
  'garbage.example.org': ['not-an-ip'],
  'localhost': ['93.184.215.14'], // a lying resolver must not open localhost
  '127.0.0.1.nip.io': ['127.0.0.1'],
  'redis': ['172.18.0.2'],
});

describe('classifyAddress', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.5.4', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.1.1', 'link_local'],
    ['169.254.169.254', 'cloud_metadata'],
    ['168.63.129.16', 'cloud_metadata'],
    ['100.100.100.200', 'cloud_metadata'],
    ['100.64.0.1', 'carrier_grade_nat'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'broadcast'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['192.0.2.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['fe80::1', 'link_local'],
    ['fe80::1%eth0', 'link_local'],
    ['fc00::1', 'unique_local'],
    ['fd12:3456::1', 'unique_local'],
    ['fd00:ec2::254', 'cloud_metadata'],
    ['ff02::1', 'multicast'],
    ['fec0::1', 'private'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['[::ffff:169.254.169.254]', 'cloud_metadata'],
    ['::ffff:10.0.0.1', 'private'],
    ['::ffff:0:a00:1', 'private'], // SIIT / RFC 6145
    ['::7f00:1', 'loopback'], // IPv4-compatible
    ['64:ff9b::7f00:1', 'loopback'], // NAT64 well-known prefix
    ['64:ff9b::a9fe:a9fe', 'cloud_metadata'],
    ['2002:7f00:1::1', 'loopback'], // 6to4 wrapping 127.0.0.1
    ['2002:c0a8:101::1', 'private'], // 6to4 wrapping 192.168.1.1
    ['64:ff9b:1::a00:1', 'reserved'], // local-use NAT64
    ['2001:db8::1', 'reserved'], // documentation
    ['2001::1', 'reserved'], // Teredo
    ['100::1', 'reserved'], // discard
    ['4000::1', 'reserved'], // outside global unicast
    ['0177.0.0.1', 'invalid'], // DNS answers must be canonical; URLs are canonicalised before
    ['not-an-ip', 'invalid'],
  ])('%s is %s', (ip, category) => {
    expect(classifyAddress(ip)).toBe(category);
  });

  it.each(['93.184.215.14', '8.8.8.8', '1.1.1.1', '2606:4700::1111', '2a00:1450:4001:82b::200e', '::ffff:93.184.215.14', '64:ff9b::5db8:d70e', '2002:5db8:d70e::1'])(
    '%s is public',
    (ip) => {
      expect(classifyAddress(ip)).toBe('public');
    },
  );
});

describe('checkEndpointUrl refuses hostile URLs', () => {
  it.each([
    ['http://127.0.0.1:8000/v1/chat/completions', /loopback/],
    ['http://2130706433/', /127\.0\.0\.1.*loopback/], // decimal
    ['http://0177.0.0.1/', /127\.0\.0\.1.*loopback/], // octal
    ['http://0x7f.0x0.0x0.0x1/', /loopback/], // hex
    ['http://0x7f000001/', /loopback/], // single hex number
    ['http://127.1/', /loopback/], // short form
    ['http://0177.1/', /loopback/], // short octal
    ['http://0177.0.0.1./', /loopback/], // trailing dot on an IP
    ['http://%31%32%37.0.0.1/', /loopback/], // percent-encoded host
    ['http://１２７.0.0.1/', /loopback/], // full-width digits
    ['http://0/', /unspecified/],
    ['http://0.0.0.0:11434/', /unspecified/],
    ['http://10.0.0.5/', /private/],
    ['http://172.16.0.1/', /private/],
    ['http://192.168.0.10:8080/', /private/],
    ['http://100.64.1.1/', /carrier grade nat/],
    ['http://169.254.169.254/latest/meta-data/', /cloud metadata/],
    ['http://[fd00:ec2::254]/', /cloud metadata/],
    ['http://224.0.0.1/', /multicast/],
    ['http://255.255.255.255/', /broadcast/],
    ['http://[::1]:8000/', /loopback/],
    ['http://[::]/', /unspecified/],
    ['http://[::ffff:127.0.0.1]/', /loopback/], // IPv6-mapped IPv4
    ['http://[0:0:0:0:0:ffff:7f00:1]/', /loopback/],
    ['http://[::ffff:169.254.169.254]/', /cloud metadata/],
    ['http://[::127.0.0.1]/', /loopback/], // IPv4-compatible
    ['http://[64:ff9b::7f00:1]/', /loopback/], // NAT64
    ['http://[fe80::1]/', /link local/],
    ['http://[fc00::1]/', /unique local/],
    ['http://[ff02::1]/', /multicast/],
    ['http://localhost/', /names this machine/],
    ['http://localhost./', /names this machine/],
    ['http://LOCALHOST:3000/', /names this machine/],
    ['http://LocalHost.../', /names this machine/],
    ['http://api.localhost/', /names this machine/],
    ['http://metadata.google.internal/computeMetadata/v1/', /metadata/],
    ['http://internal.example.org/', /10\.1\.2\.3 \(private\)/],
    ['http://INTERNAL.example.org./', /private/],
    ['http://sneaky.example.org/', /127\.0\.0\.1 \(loopback\)/],
    ['http://meta.example.org/', /cloud metadata/],
    ['http://mapped.example.org/', /private/],
    ['http://ula.example.org/', /unique local/],
    ['http://cgnat.example.org/', /carrier grade nat/],
    ['http://127.0.0.1.nip.io/', /loopback/],
    ['http://redis:6379/', /private/],
    ['http://garbage.example.org/', /not an IP address/],
    ['ftp://api.example.org/', /http or https/],
    ['file:///etc/passwd', /http or https/],
    ['gopher://127.0.0.1:6379/_INFO', /http or https/],
    ['javascript:alert(1)', /http or https/],
    ['http://user:pass@api.example.org/', /credentials/],
    ['http://token@api.example.org/', /credentials/],
    ['not a url', /not a valid absolute URL/],
    ['//api.example.org/v1', /not a valid absolute URL/],
  ])('%s', async (url, reason) => {
    const result = await checkEndpointUrl(url, { lookup: dns });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.code).toBe('refused');
      expect(result.reason).toMatch(reason);
    }
  });

  it('reports an unresolvable host separately from a refusal', async () => {
    const result = await checkEndpointUrl('https://nowhere.example.org/v1', { lookup: dns });
    expect(result).toEqual({ ok: false, code: 'unresolvable', reason: expect.stringMatching(/nowhere\.example\.org.*ENOTFOUND/) });
  });

  it('never quotes the path or query of a refused URL (they may carry a key)', async () => {
    const result = await checkEndpointUrl('http://10.0.0.1/v1?api_key=sk-very-secret', { lookup: dns });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).not.toContain('sk-very-secret');
  });

  it('does not ask DNS about IP literals or refused reserved names', async () => {
    const before = dns.calls.length;
    await checkEndpointUrl('http://2130706433/', { lookup: dns });
    await checkEndpointUrl('http://localhost./', { lookup: dns });
    expect(dns.calls.length).toBe(before);
  });
});

describe('checkEndpointUrl accepts public endpoints', () => {
  it.each([
    ['https://api.example.org/v1/chat/completions', ['93.184.215.14']],
    ['http://API.Example.Org.:8443/v1', ['93.184.215.14']],
    ['https://v6.example.org/', ['2606:2800:21f:cb07:6820:80da:af6b:8b2c']],
    ['https://dual.example.org/', ['93.184.215.14', '2606:4700::1111']],
    ['http://93.184.215.14:8000/v1/chat/completions', ['93.184.215.14']],
    ['http://1572394766/', ['93.184.215.14']], // decimal form of a public address
    ['https://[2606:4700::1111]/', ['2606:4700::1111']],
  ])('%s', async (url, addresses) => {
    const result = await checkEndpointUrl(url, { lookup: dns });
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.addresses).toEqual(addresses);
      expect(['http:', 'https:']).toContain(result.url.protocol);
    }
  });
});

describe('operator allow-list', () => {
  it('opens an allow-listed CIDR and nothing next to it', async () => {
    const allowList = ['127.0.0.1/32'];
    expect((await checkEndpointUrl('http://127.0.0.1:8000/', { allowList, lookup: dns })).ok).toBe(true);
    expect((await checkEndpointUrl('http://2130706433/', { allowList, lookup: dns })).ok).toBe(true);
    expect((await checkEndpointUrl('http://[::ffff:127.0.0.1]/', { allowList, lookup: dns })).ok).toBe(true);
    expect((await checkEndpointUrl('http://127.0.0.2/', { allowList, lookup: dns })).ok).toBe(false);
    expect((await checkEndpointUrl('http://[::1]/', { allowList, lookup: dns })).ok).toBe(false);
    expect((await checkEndpointUrl('http://10.0.0.1/', { allowList, lookup: dns })).ok).toBe(false);
  });

  it('checks resolved addresses against allow-listed ranges', async () => {
    const ok = await checkEndpointUrl('http://internal.example.org/', { allowList: ['10.0.0.0/8'], lookup: dns });
    expect(ok).toMatchObject({ ok: true, addresses: ['10.1.2.3'] });
    const stillBad = await checkEndpointUrl('http://sneaky.example.org/', { allowList: ['10.0.0.0/8'], lookup: dns });
    expect(stillBad.ok).toBe(false);
  });

  it('opens allow-listed host names (and wildcard suffixes) whatever they resolve to', async () => {
    expect(await checkEndpointUrl('http://redis:6379/', { allowList: ['redis'], lookup: dns })).toMatchObject({ ok: true, addresses: ['172.18.0.2'] });
    expect((await checkEndpointUrl('http://internal.example.org/', { allowList: ['*.example.org'], lookup: dns })).ok).toBe(true);
    expect((await checkEndpointUrl('http://localhost/', { allowList: ['localhost'], lookup: dns })).ok).toBe(true);
    expect((await checkEndpointUrl('http://api.localhost/', { allowList: ['localhost'], lookup: dns })).ok).toBe(false);
  });

  it('rejects malformed entries with the entry named', () => {
    expect(() => parseAllowList(['127.0.0.1/32', '10.0.0.0/33'])).toThrow(/entry 2 \("10\.0\.0\.0\/33"\).*CIDR/);
    expect(() => parseAllowList(['not a host'])).toThrow(/entry 1 .*neither an IP address, a CIDR nor a host name/);
  });

  it('reads a list written in one env string', async () => {
    const allowList = parseAllowListText(' 127.0.0.1/32, ::1  vllm.internal,');
    expect(allowList.entries).toEqual(['127.0.0.1/32', '::1', 'vllm.internal']);
    expect((await checkEndpointUrl('http://[::1]/', { allowList, lookup: dns })).ok).toBe(true);
    expect(parseAllowListText(undefined).entries).toEqual([]);
  });

  it('accepts a pre-parsed list', async () => {
    const allowList = parseAllowList(['::1']);
    expect((await checkEndpointUrl('http://[::1]:9000/', { allowList, lookup: dns })).ok).toBe(true);
  });
});
