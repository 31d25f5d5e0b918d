import type { Database } from '../db/client';
import type { PlatformConfig } from '../config/platform-config';
import type { RunQueue } from '../workers/queue';

/** What the composition root (server/index.ts) hands every loader and action. */
export interface AppServices {
  db: Database;
  queue: RunQueue;
  config: PlatformConfig;
  /** Key for endpoint tokens at rest. */
  secretKey: Buffer;
}

declare module '@remix-run/node' {
  interface AppLoadContext {
    services: AppServices;
    /** The client's address as Express sees it (req.ip): keys the sign-in throttle. */
    clientAddress?: string;
    /** This response's Content Security Policy nonce (server/web/security-headers.ts). */
    cspNonce?: string;
    /** The board epoch read for this request's ETag (server/web/board-etag.ts), on board paths only. */
    boardEpoch?: number;
  }
  // Single Fetch typing for loaders and actions (remix.config.js turns it on).
  interface Future {
    v3_singleFetch: true;
  }
}
