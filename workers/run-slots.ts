import type IORedis from 'ioredis';

/**
 * Fleet-wide cap on the shards of one run that are in flight at once, so that a submission's endpoint
 * sees at most `maxShards × itemConcurrency` parallel requests however many workers there are.
 * A slot is a member of a Redis sorted set scored by its expiry: a worker killed mid-shard leaves a
 * slot that simply expires, and a re-delivered shard takes its own slot back (same member).
 */
export function createRunSlots(redis: IORedis, prefix: string, opts: { maxShards: number; leaseMs: number }) {
  const key = (runId: number) => `${prefix}:run-slots:${runId}`;
  // Atomic: drop expired slots, then take one if the run has room (or already holds this one).
  const ACQUIRE = `
    redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
    if redis.call('ZSCORE', KEYS[1], ARGV[3]) or redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[4]) then
      redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
      redis.call('PEXPIRE', KEYS[1], ARGV[5])
      return 1
    end
    return 0`;
  return {
    async acquire(runId: number, holder: string): Promise<boolean> {
      const now = Date.now();
      const taken = await redis.eval(ACQUIRE, 1, key(runId), now, now + opts.leaseMs, holder, opts.maxShards, opts.leaseMs * 2);
      return taken === 1;
    },
    async renew(runId: number, holder: string): Promise<void> {
      await redis.zadd(key(runId), 'XX', Date.now() + opts.leaseMs, holder);
    },
    async release(runId: number, holder: string): Promise<void> {
      await redis.zrem(key(runId), holder);
    },
  };
}
