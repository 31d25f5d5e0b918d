import { parseArgs } from 'node:util';
import { openDatabase } from '../db/client';
import { loadOrCreateSecretKey } from '../evaluator/secrets';
import { readConfigOrExit } from '../config/platform-config';
import { startBullmqWorkers } from './bullmq-queue';
import { QUEUE_NAMES, type QueueRole } from './queue';
import { closeSharedEndpointFetchers } from './endpoint-fetchers';
import { closeProcessOnnxAdapters } from './onnx-adapter-cache';
import { startWorkerMetricsServer } from './metrics-server';
import { createRunProcessors } from './run-processors';
import { configureLoggingFrom, log } from '../log/logger';
import type { DeviceChoice } from '../evaluator/onnx/runner-protocol';

const USAGE = `npm run worker -- [--queues endpoint,onnx,scoring] [--concurrency N]`;

/** ONNX workers say which device their models will run on, and why faster ones were skipped. */
async function deviceLabel(roles: QueueRole[], choice: DeviceChoice): Promise<string> {
  if (!roles.includes('onnx')) return '';
  const [{ chooseDevice }, { detectCuda }, { detectWebGpu }] = await Promise.all([
    import('../evaluator/onnx/choose-device'),
    import('../evaluator/onnx/cuda-detect'),
    import('../evaluator/onnx/webgpu-detect'),
  ]);
  try {
    const { device, adapter, skipped } = await chooseDevice(choice, { cuda: detectCuda, webgpu: detectWebGpu });
    const why = skipped.map((s) => `${s.device}: ${s.reason}`).join('; ');
    return `onnx device ${device}${adapter ? ` on ${adapter.name}` : ''}${why ? ` (${why})` : ''}, `;
  } catch (e) {
    return `onnx device ${choice} UNAVAILABLE (${(e as Error).message}), `;
  }
}

/** A standalone evaluation worker on the shared Redis and database; any mix of queues. */
async function main() {
  const { values } = parseArgs({
    options: { concurrency: { type: 'string', default: '4' }, queues: { type: 'string', default: 'endpoint,onnx,scoring' } },
  });
  const roles = values.queues.split(',').map((q) => q.trim()) as QueueRole[];
  const unknown = roles.filter((r) => !(r in QUEUE_NAMES));
  const concurrency = Number(values.concurrency);
  if (unknown.length > 0 || !Number.isInteger(concurrency) || concurrency < 1) {
    console.error(`Unknown queue ${unknown.join(', ') || ''} or bad --concurrency.\nUsage: ${USAGE}`);
    process.exit(2);
  }
  const config = readConfigOrExit();
  configureLoggingFrom(config);
  if (!config.redisUrl) {
    console.error('npm run worker needs REDIS_URL (without Redis, `npm start` runs the jobs in-process).');
    process.exit(2);
  }
  const handle = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const workers = startBullmqWorkers(
    { redisUrl: config.redisUrl, prefix: config.queuePrefix, roles, concurrency, lockDurationMs: config.workerLockMs, maxShardsPerRun: config.maxShardsPerRun },
    createRunProcessors(handle.db, { ...config, secretKey: await loadOrCreateSecretKey(config.dataDir, config.secretKeySetting) }),
  );
  const metrics =
    config.workerMetricsPort === undefined ? undefined : await startWorkerMetricsServer(config.workerMetricsPort, config.host, config.metricsToken);
  const metricsLabel = metrics ? `metrics ${metrics.url}/metrics, ` : '';
  log.info(
    { queues: roles, concurrency, database: handle.kind, metricsUrl: metrics?.url, pid: process.pid },
    `worker ready (queues ${roles.join(',')}, concurrency ${concurrency}, database ${handle.kind}, ${await deviceLabel(roles, config.onnxDevice)}${metricsLabel}pid ${process.pid})`,
  );
  const stop = async () => {
    log.info('worker stopping: handing back work in flight');
    await workers.close();
    await metrics?.close();
    await closeProcessOnnxAdapters();
    await closeSharedEndpointFetchers();
    await handle.close();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((e) => {
  log.fatal(e, 'worker failed to start');
  process.exit(1);
});
