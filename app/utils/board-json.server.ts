import type { Database } from '../../db/client';
import { loadLeaderboard } from './leaderboard-data.server';

// The JSON of /api/leaderboard/<release>, encoded once per board epoch (docs/decisions/263-board-load.md): with
// 1,000 rows it is ~24 MB, and reading and serialising it took longer than sending it. A publish moves the epoch,
// so an older body is never served again; it is dropped when a newer epoch is stored. Bounded, oldest out first.
const bodies = new Map<string, Promise<Uint8Array<ArrayBuffer>>>();
const MAX_CACHED_BODIES = 4;
let newestEpoch = -Infinity;

/** The board as JSON bytes; without an epoch (not read for this request) it is encoded afresh. */
export function leaderboardJson(db: Database, epoch: number | undefined, slug: string): Promise<Uint8Array<ArrayBuffer>> {
  const encode = async () => Buffer.from(JSON.stringify(await loadLeaderboard(db, slug)));
  if (epoch === undefined) return encode();
  if (epoch > newestEpoch) {
    for (const key of bodies.keys()) if (Number(key.split('\n')[0]) < epoch) bodies.delete(key);
    newestEpoch = epoch;
  }
  const key = `${epoch}\n${slug}`;
  let hit = bodies.get(key);
  if (!hit) {
    hit = encode();
    // A refusal (404) is not kept: the release may be published a moment later.
    hit.catch(() => bodies.delete(key));
    bodies.set(key, hit);
    if (bodies.size > MAX_CACHED_BODIES) bodies.delete(bodies.keys().next().value!);
  }
  return hit;
}
