/**
 * A `lookup` for net/tls.connect that never asks DNS: it answers with the addresses the SSRF
 * guard vetted. This closes the rebinding gap between "check the name" and "connect to the name"
 * while TLS still verifies the certificate against the host name (SNI stays the name).
 */
import type { LookupAddress, LookupOptions } from 'node:dns';
import { isIP } from 'node:net';

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
export type PinnedLookup = (hostname: string, options: LookupOptions | number | LookupCallback, callback?: LookupCallback) => void;

export function createPinnedLookup(addresses: readonly string[]): PinnedLookup {
  const pinned: LookupAddress[] = addresses.map((address) => {
    const family = isIP(address);
    if (family === 0) throw new Error(`pinned lookup: ${JSON.stringify(address)} is not an IP address`);
    return { address, family };
  });
  if (pinned.length === 0) throw new Error('pinned lookup: no addresses to pin');

  return (hostname, options, callback) => {
    const cb = (typeof options === 'function' ? options : callback) as LookupCallback;
    const opts: LookupOptions = typeof options === 'object' && options !== null ? options : typeof options === 'number' ? { family: options } : {};
    const wanted = opts.family === 4 || opts.family === 6 ? pinned.filter((p) => p.family === opts.family) : pinned;
    if (wanted.length === 0) {
      const err: NodeJS.ErrnoException = new Error(`no vetted IPv${opts.family} address for ${hostname}`);
      err.code = 'ENOTFOUND';
      process.nextTick(cb, err, '', 0);
      return;
    }
    if (opts.all) process.nextTick(cb, null, wanted.map((p) => ({ ...p })));
    else process.nextTick(cb, null, wanted[0].address, wanted[0].family);
  };
}
