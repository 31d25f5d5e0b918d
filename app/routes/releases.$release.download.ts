import type { LoaderFunctionArgs } from '@remix-run/node';
import { archiveFileName, devSplitArchive, fileBody } from '../utils/release-archive.server';
import { loadPublicRelease } from '../utils/release-pages.server';

/** GET /releases/:release/download — the public dev split in the release format, as .tar.gz. */
export async function loader({ context, params }: LoaderFunctionArgs) {
  const { db, config } = context.services;
  const release = await loadPublicRelease(db, params.release ?? '');
  const file = await devSplitArchive(db, release, { imageStoreDir: config.imageStoreDir, workDir: config.releaseWorkDir });
  return new Response(fileBody(file), {
    headers: {
      'content-type': 'application/gzip',
      'content-disposition': `attachment; filename="${archiveFileName(release, false)}"`,
      'cache-control': 'public, max-age=3600',
    },
  });
}
