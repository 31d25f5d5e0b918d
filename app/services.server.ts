import type { Database } from '../db/client';
import type { PlatformConfig } from '../config/platform-config';
import type { RunQueue } from '../workers/queue';
import type { BoardPageCapture } from './utils/board-page-capture.server';

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
    /**
     * A board page a visitor without cookies asked for and the shared cache lacks (server/web/board-page-cache.ts):
     * entry.server.tsx renders it with `token` as the nonce, stores the whole document, and answers with cspNonce.
     */
    boardPageCapture?: BoardPageCapture;
  }
  // Single Fetch typing for loaders and actions (remix.config.js turns it on).
  interface Future {
    v3_singleFetch: true;
  }
}
