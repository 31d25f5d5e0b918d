import cliProgress from 'cli-progress';
import { parseArgs } from 'node:util';
import { openDatabase } from '../db/client';
import { listSucceededRunIds } from '../db/queries/runs';
import { loadOrCreateSecretKey } from '../evaluator/secrets';
import { readConfigOrExit } from '../config/platform-config';
import { createBullmqQueue } from './bullmq-queue';
import { createRunProcessors } from './run-processors';

const USAGE = 'npm run rescore -- (--all | --run ID)';

/**
 * Re-scores finished runs from their stored outputs after a scorer or judge change. With REDIS_URL the
 * work goes to the fleet's scoring queue; without, it runs here, with a progress bar.
 */
async function main() {
  const { values } = parseArgs({ options: { all: { type: 'boolean' }, run: { type: 'string' } } });
  if (!values.all && !values.run) {
    console.error(`Say which runs.\nUsage: ${USAGE}`);
    process.exit(2);
  }
  const config = readConfigOrExit();
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const runIds = values.all ? await listSucceededRunIds(handle.db) : [Number(values.run)];
  const processors = createRunProcessors(handle.db, {
    ...config,
    secretKey: await loadOrCreateSecretKey(config.dataDir, config.secretKeySetting),
  });
  if (config.redisUrl) {
    const queue = createBullmqQueue({ redisUrl: config.redisUrl, prefix: config.queuePrefix, shardBackoffMs: config.shardBackoffMs }, processors.planRun);
    for (const id of runIds) await queue.enqueueRescore(id);
    console.log(`queued ${runIds.length} runs for re-scoring on the scoring queue`);
    await queue.close();
  } else {
    const bar = new cliProgress.SingleBar({ format: 're-scoring {bar} {value}/{total} runs' }, cliProgress.Presets.shades_classic);
    bar.start(runIds.length, 0);
    let changed = 0;
    for (const id of runIds) {
      changed += await processors.rescoreRun(id);
      bar.increment();
    }
    bar.stop();
    console.log(`re-scored ${runIds.length} runs; ${changed} item scores changed`);
  }
  await handle.close();
}

void main();
