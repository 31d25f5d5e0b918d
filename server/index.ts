import { createRequestHandler } from '@remix-run/express';
import type { ServerBuild } from '@remix-run/node';
import express from 'express';
import IORedis from 'ioredis';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppServices } from '../app/services.server';
import { uploadStoreFor } from '../app/utils/chunked-uploads.server';
import { sweepIntakeLeftovers } from '../app/utils/intake-leftovers.server';
import { openDatabase } from '../db/client';
import { backfillNameKeys } from '../db/queries/teams';
import { nameKey } from '../app/auth/name-key';
import { loadOrCreateSecretKey } from '../evaluator/secrets';
import { createBullmqQueue, startBullmqWorkers } from '../workers/bullmq-queue';
import { createInProcessQueue } from '../workers/in-process-queue';
import { closeSharedEndpointFetchers } from '../workers/endpoint-fetchers';
import { closeProcessOnnxAdapters } from '../workers/onnx-adapter-cache';
import type { RunQueue } from '../workers/queue';
import { startRunJanitor } from '../workers/run-janitor';
import { createRunProcessors } from '../workers/run-processors';
import { readConfigOrExit } from '../config/platform-config';
import { installWebHygiene, plainErrors } from './web';
import { cspNonceOf } from './web/security-headers';
import { staticAssets } from './web/static-assets';
import { boardEtags } from './web/board-etag';
import { readBoardEpoch } from '../db/queries/board-epoch';
import { httpMetricsMiddleware, operationsRoutes } from './operations-routes';
import { registerWebGauges } from './web-metrics';
import { seedDemo } from './seed-demo';
import { fetchRequestOf, queueDashboard } from './queue-dashboard';
import { maintainerAccess } from '../app/utils/maintainer-auth.server';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Composition root: database, queue, optional in-process worker, baselines, then the Remix app. */
async function main() {
  // React's production build and no stack traces in answers, unless the operator says otherwise.
  process.env.NODE_ENV ??= 'production';
  const config = readConfigOrExit();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const secretKey = await loadOrCreateSecretKey(config.dataDir, config.secretKeySetting);
  const processors = createRunProcessors(database.db, { ...config, secretKey });

  let queue: RunQueue;
  let stopWorker = async () => {};
  if (config.redisUrl) {
    queue = createBullmqQueue(
      { redisUrl: config.redisUrl, prefix: config.queuePrefix, shardBackoffMs: config.shardBackoffMs },
      processors.planRun,
    );
    if (config.role === 'all') {
      const workers = startBullmqWorkers(
        { redisUrl: config.redisUrl, prefix: config.queuePrefix, roles: ['endpoint', 'onnx', 'scoring'], concurrency: 2, lockDurationMs: config.workerLockMs, maxShardsPerRun: config.maxShardsPerRun },
        processors,
      );
      stopWorker = workers.close;
    }
  } else {
    queue = createInProcessQueue(processors, { shardBackoffMs: config.shardBackoffMs });
  }
  const janitor = startRunJanitor(database.db, queue, config.janitorIntervalMs);
  await janitor.tick();
  // What a crashed intake left (extracted bundles no model uses, `*.upload` files): at start, then hourly.
  const sweepLeftovers = () =>
    sweepIntakeLeftovers(database.db, config, config.intakeLeftoverGraceMs)
      .then((removed) => removed.length > 0 && console.log(`removed ${removed.length} leftovers of unfinished intakes`))
      .catch((e) => console.error('intake leftover sweep:', e instanceof Error ? e.message : e));
  await sweepLeftovers();
  // Chunked uploads that their client abandoned would otherwise stay on disk for ever.
  const uploadSweep = setInterval(() => {
    void sweepLeftovers();
    void uploadStoreFor(config)
      .sweepIdle(config.uploadMaxIdleMs)
      .then((ids) => ids.length > 0 && console.log(`removed ${ids.length} abandoned uploads`))
      .catch((e) => console.error('upload sweep:', e instanceof Error ? e.message : e));
  }, Math.min(config.uploadMaxIdleMs, config.intakeLeftoverGraceMs, 3_600_000));
  uploadSweep.unref();

  if (config.seedDemo) {
    await seedDemo({ db: database.db, queue }, {
      dataDir: config.dataDir,
      imageStoreDir: config.imageStoreDir,
      scale: config.demoScale,
      sourceDir: config.demoReleaseDir,
    });
  }
  // Teams and models from before name keys existed (and the seeded baselines) get theirs: names are compared on keys.
  await backfillNameKeys(database.db, nameKey);

  const services: AppServices = { db: database.db, queue, config, secretKey };
  const build = (await import(path.join(root, 'build/server/index.js'))) as ServerBuild;
  // Probes and gauges get their own connection: a busy queue connection must not make the probe time out.
  const opsRedis = config.redisUrl ? new IORedis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false }) : undefined;
  opsRedis?.on('error', () => {});
  const opsDeps = {
    db: database.db,
    redis: opsRedis,
    queuePrefix: config.queuePrefix,
    processesJobs: config.role === 'all',
    workerSeenWithinMs: config.workerSeenWithinMs,
  };
  registerWebGauges({ ...opsDeps, queue });
  const app = express();
  installWebHygiene(app, config);
  app.use(httpMetricsMiddleware());
  app.use(operationsRoutes({ ...opsDeps, metricsToken: config.metricsToken }));
  // bull-board, behind the maintainer role, where there are BullMQ queues to show.
  const dashboard = config.redisUrl
    ? queueDashboard({ redisUrl: config.redisUrl, prefix: config.queuePrefix, access: (req) => maintainerAccess(fetchRequestOf(req), services) })
    : undefined;
  if (dashboard) app.use(dashboard.path, ...dashboard.handlers);
  app.use(staticAssets(path.join(root, 'build/client')));
  app.use(boardEtags(() => readBoardEpoch(database.db)));
  app.all('*', createRequestHandler({
    build,
    getLoadContext: (req, res) => ({
      services,
      clientAddress: req.ip ?? req.socket.remoteAddress ?? 'unknown',
      cspNonce: cspNonceOf(res),
      boardEpoch: typeof res.locals.boardEpoch === 'number' ? res.locals.boardEpoch : undefined,
    }),
  }));
  app.use(plainErrors());

  const server = app.listen(config.port, config.host, () => {
    const { port } = server.address() as { port: number };
    console.log(
      `SpineBench Hub ready at http://${config.host}:${port} (database: ${database.kind}, queue: ${queue.kind})`,
    );
  });

  const shutdown = async () => {
    server.close();
    janitor.stop();
    clearInterval(uploadSweep);
    await stopWorker();
    await queue.close();
    await closeProcessOnnxAdapters();
    await closeSharedEndpointFetchers();
    opsRedis?.disconnect();
    await dashboard?.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((e) => {
  console.error('SpineBench Hub failed to start:', e);
  process.exit(1);
});
