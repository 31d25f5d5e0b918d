import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { metricsAnswer } from './metrics-endpoint';

/** A worker's small HTTP side: /metrics for Prometheus and /healthz (liveness). Nothing else. */
export async function startWorkerMetricsServer(port: number, host: string, token: string | undefined) {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok', pid: process.pid }));
      return;
    }
    if (req.method === 'GET' && path === '/metrics') {
      metricsAnswer(req.headers.authorization, token)
        .then((a) => res.writeHead(a.status, { 'content-type': a.contentType }).end(a.body))
        .catch((e) => res.writeHead(500).end(e instanceof Error ? e.message : 'metrics failed'));
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: this worker serves /metrics and /healthz.\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    url: `http://${host}:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
