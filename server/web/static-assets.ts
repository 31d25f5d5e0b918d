/**
 * Static files of the Remix build. Vite names everything under `assets/` by its content hash, so those may be
 * cached for a year and never revalidated; the copies of `public/` (favicon, …) keep their names, so browsers
 * revalidate them after an hour. A missing file falls through to Remix, which answers a plain 404.
 */
import express, { type Router } from 'express';
import path from 'node:path';

export const HASHED_ASSET_MAX_AGE = '1y';
export const PUBLIC_FILE_MAX_AGE = '1h';

export function staticAssets(clientBuildDir: string): Router {
  const router = express.Router();
  router.use('/assets', express.static(path.join(clientBuildDir, 'assets'), { immutable: true, maxAge: HASHED_ASSET_MAX_AGE, fallthrough: true }));
  router.use(express.static(clientBuildDir, { maxAge: PUBLIC_FILE_MAX_AGE, index: false }));
  return router;
}
