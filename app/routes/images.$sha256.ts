import type { LoaderFunctionArgs } from '@remix-run/node';
import { readImage } from '../../db/image-store';
import { findPublicDevImage } from '../../db/queries/release-images';

const SHA256 = /^[0-9a-f]{64}$/;

/** One answer for every refusal, so a response never tells a hidden image from an unknown one. */
const notFound = () => new Response('Image not found.', { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' } });

/**
 * Serves a release image by content hash, only when a dev-split item of a published or deprecated release
 * uses it: hidden test images never leave the server. Content-addressed, hence cacheable forever.
 */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const sha256 = params.sha256 ?? '';
  if (!SHA256.test(sha256)) return notFound();
  const { db, config } = context.services;
  const image = await findPublicDevImage(db, sha256);
  if (!image) return notFound();
  const bytes = await readImage(config.imageStoreDir, sha256).catch(() => null);
  if (!bytes) return notFound();
  return new Response(new Uint8Array(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.length), {
    headers: {
      'content-type': image.mediaType,
      'content-length': String(bytes.length),
      'cache-control': 'public, max-age=31536000, immutable',
      etag: `"${sha256}"`,
      'x-content-type-options': 'nosniff',
    },
  });
}
