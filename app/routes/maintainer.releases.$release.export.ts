import type { LoaderFunctionArgs } from '@remix-run/node';
import { refusal } from '../utils/refusal';
import { findReleaseBySlug } from '../../db/queries/releases';
import { archiveFileName, fullReleaseArchiveStream } from '../utils/release-archive.server';
import { requireMaintainer } from '../utils/maintainer-auth.server';

/** GET /maintainer/releases/:release/export — the whole release, hidden split included: maintainers only. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requireMaintainer(request, context.services, 'forbid');
  const { db, config } = context.services;
  const release = await findReleaseBySlug(db, params.release ?? '');
  if (!release) throw refusal(404, `No release "${params.release}".`);
  const body = await fullReleaseArchiveStream(db, release, { imageStoreDir: config.imageStoreDir, workDir: config.releaseWorkDir });
  return new Response(body, {
    headers: {
      'content-type': 'application/gzip',
      'content-disposition': `attachment; filename="${archiveFileName(release, true)}"`,
      'cache-control': 'private, no-store',
    },
  });
}
