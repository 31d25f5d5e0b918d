import net from 'node:net';
import postgres from 'postgres';

export const TEST_POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

function reachable(url: string, defaultPort: number): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: u.hostname, port: Number(u.port || defaultPort) });
    socket.setTimeout(1500);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

/**
 * Whether the real services are up. In CI (CI=true) a missing service is a failure, never a skip;
 * elsewhere the service-backed suites skip, loudly.
 */
export async function realServicesAvailable(): Promise<boolean> {
  const pg = await reachable(TEST_POSTGRES_URL, 5432);
  const redis = await reachable(TEST_REDIS_URL, 6379);
  if (pg && redis) return true;
  const missing = [!pg && `Postgres (${TEST_POSTGRES_URL})`, !redis && `Redis (${TEST_REDIS_URL})`].filter(Boolean).join(' and ');
  if (process.env.CI) throw new Error(`CI needs ${missing}, which is not reachable.`);
  console.warn(`\n*** SKIPPING service-backed tests: ${missing} not reachable. CI would fail here. ***\n`);
  return false;
}

/** A fresh database on the test server, dropped by `drop()`. */
export async function createTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `sbh_t_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = postgres(TEST_POSTGRES_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const a = postgres(TEST_POSTGRES_URL, { max: 1, onnotice: () => {} });
      await a.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}
