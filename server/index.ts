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
import { createBoardPageCache } from './web/board-page-cache';
import { readBoardEpoch } from '../db/queries/board-epoch';
import { httpMetricsMiddleware, operationsRoutes } from './operations-routes';
import { registerWebGauges } from './web-metrics';
import { seedDemo } from './seed-demo';
import { demoHiddenSeed } from './demo-release';
import { startupSummary } from './start/startup-summary';
import { countVerifiedMaintainers } from '../db/queries/accounts';
import { configureLoggingFrom, log, logFormat } from '../log/logger';
import { throttledReporter } from '../log/throttled';
import { requestIds } from './web/request-ids';
import { fetchRequestOf, queueDashboard } from './queue-dashboard';
import { maintainerAccess } from '../app/utils/maintainer-auth.server';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Composition root: database, queue, optional in-process worker, baselines, then the Remix app. */
async function main() {
  // React's production build and no stack traces in answers, unless the operator says otherwise.
  process.env.NODE_ENV ??= 'production';
  const config = readConfigOrExit();
  configureLoggingFrom(config);
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
      .then((removed) => removed.length > 0 && log.info({ removed: removed.length }, 'removed leftovers of unfinished intakes'))
      .catch((e) => log.error(e, 'intake leftover sweep failed'));
  await sweepLeftovers();
  // Chunked uploads that their client abandoned would otherwise stay on disk for ever.
  const uploadSweep = setInterval(() => {
    void sweepLeftovers();
    void uploadStoreFor(config)
      .sweepIdle(config.uploadMaxIdleMs)
      .then((ids) => ids.length > 0 && log.info({ removed: ids.length }, 'removed abandoned uploads'))
      .catch((e) => log.error(e, 'upload sweep failed'));
  }, Math.min(config.uploadMaxIdleMs, config.intakeLeftoverGraceMs, 3_600_000));
  uploadSweep.unref();

  if (config.seedDemo) {
    await seedDemo({ db: database.db, queue }, {
      dataDir: config.dataDir,
      imageStoreDir: config.imageStoreDir,
      scale: config.demoScale,
      sourceDir: config.demoReleaseDir,
      hiddenSeed: demoHiddenSeed(secretKey),
    }, config.judge);
  }
  // Teams and models from before name keys existed (and the seeded baselines) get theirs: names are compared on keys.
  await backfillNameKeys(database.db, nameKey);

  const services: AppServices = { db: database.db, queue, config, secretKey };
  const build = (await import(path.join(root, 'build/server/index.js'))) as ServerBuild;
  // Probes and gauges get their own connection: a busy queue connection must not make the probe time out.
  const opsRedis = config.redisUrl ? new IORedis(config.redisUrl, { maxRetriesPerRequest: 1, enableOfflineQueue: false }) : undefined;
  // ioredis reconnects on its own and emits an error per attempt: logged once a minute while Redis is down.
  opsRedis?.on('error', throttledReporter<Error>(60_000, (err, suppressed) => log.warn({ err, suppressed }, 'probe connection to Redis failed; retrying')));
  const opsDeps = {
    db: database.db,
    redis: opsRedis,
    queuePrefix: config.queuePrefix,
    processesJobs: config.role === 'all',
    workerSeenWithinMs: config.workerSeenWithinMs,
  };
  registerWebGauges({ ...opsDeps, queue });
  const app = express();
  app.use(requestIds());
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
  // Board pages for visitors without cookies, rendered once per board epoch (docs/decisions/263-board-load.md).
  app.use(createBoardPageCache({ maxBytes: 64 * 1024 * 1024 }).middleware);
  app.all('*', createRequestHandler({
    build,
    getLoadContext: (req, res) => ({
      services,
      clientAddress: req.ip ?? req.socket.remoteAddress ?? 'unknown',
      cspNonce: cspNonceOf(res),
      boardEpoch: typeof res.locals.boardEpoch === 'number' ? res.locals.boardEpoch : undefined,
      boardPageCapture: res.locals.boardPageCapture,
    }),
  }));
  app.use(plainErrors());

  const server = app.listen(config.port, config.host, () => {
    const { port } = server.address() as { port: number };
    void countVerifiedMaintainers(database.db).then((maintainers) => {
      const { lines, fields } = startupSummary({
        url: `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`,
        database: { kind: database.kind, url: config.databaseUrl, dataDir: config.dataDir },
        queue: { kind: queue.kind, url: config.redisUrl, role: config.role },
        maintainers,
        adminEmails: config.adminEmails.length,
        endpointAllowList: config.endpointAllowList,
      });
      // People at a terminal get the block; JSON logs get one record with the same facts as fields.
      if (logFormat() === 'pretty') log.info(lines.join('\n'));
      else log.info(fields, lines[0]);
    }).catch((e) => log.error(e, 'start-up summary failed'));
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
  log.fatal(e, 'SpineBench Hub failed to start');
  process.exit(1);
});
