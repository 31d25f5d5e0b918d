/**
 * Connection pools for endpoint requests, shared by every endpoint adapter of this worker process, so the
 * shards of a run (one adapter each) reuse keep-alive connections and TLS sessions instead of opening new
 * ones per shard. Inside a fetcher, pools are keyed by origin and vetted addresses, so the SSRF pinning
 * holds; there is one fetcher per allow-list, since the allow-list is checked on every hop. Each request
 * carries its own credentials: nothing of one team's requests stays on a connection another team reuses.
 */
import { createSafeFetcher, type SafeFetcher } from '../evaluator/net/safe-fetch';

const fetchers = new Map<string, SafeFetcher>();
/** Pools kept per fetcher: one per endpoint origin in use by this worker; idle ones close their sockets on their own. */
const MAX_POOLS = 256;

export function sharedEndpointFetcher(allowList: readonly string[]): SafeFetcher {
  const key = JSON.stringify([...allowList].sort());
  let fetcher = fetchers.get(key);
  if (!fetcher) fetchers.set(key, (fetcher = createSafeFetcher({ allowList, maxPools: MAX_POOLS })));
  return fetcher;
}

/** Closes every shared pool (waits for requests in flight): call on worker shutdown. */
export async function closeSharedEndpointFetchers(): Promise<void> {
  const open = [...fetchers.values()];
  fetchers.clear();
  await Promise.all(open.map((f) => f.close()));
}
