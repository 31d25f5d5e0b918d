import { parseArgs } from 'node:util';
import { openDatabase } from '../db/client';
import { readConfig } from '../server/config';
import { startBullmqWorker } from './bullmq-queue';
import { createRunProcessor } from './run-processor';

/** `npm run worker -- [--concurrency N]`: a standalone evaluation worker on the shared Redis. */
async function main() {
  const { values } = parseArgs({ options: { concurrency: { type: 'string', default: '2' }, queues: { type: 'string' } } });
  const config = readConfig();
  if (!config.redisUrl) {
    console.error('npm run worker needs REDIS_URL (without Redis, `npm start` runs the jobs in-process).');
    process.exit(2);
  }
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const processor = createRunProcessor(handle.db, config);
  const worker = startBullmqWorker(
    { redisUrl: config.redisUrl, prefix: config.queuePrefix, concurrency: Number(values.concurrency) },
    processor,
  );
  console.log(`worker ready (concurrency ${values.concurrency}, database ${handle.kind})`);
  const stop = async () => {
    await worker.close();
    await handle.close();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

void main();
