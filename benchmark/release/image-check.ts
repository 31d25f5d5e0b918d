import { PNG } from 'pngjs';
import type { ImageMediaType } from '../item-schema';

export type ImageCheck = { ok: true; mediaType: ImageMediaType; width: number; height: number } | { ok: false; reason: string };

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Whether the bytes are a complete, decodable PNG or a structurally sound baseline/progressive JPEG. */
export function checkImageBytes(bytes: Buffer): ImageCheck {
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return checkPng(bytes);
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return checkJpeg(bytes);
  return { ok: false, reason: 'neither a PNG nor a JPEG (unknown file signature)' };
}

function checkPng(bytes: Buffer): ImageCheck {
  try {
    // Decoding checks chunk CRCs, IHDR, the zlib stream and the pixel count.
    const png = PNG.sync.read(bytes, { checkCRC: true });
    if (png.width < 1 || png.height < 1) return { ok: false, reason: 'PNG has no pixels' };
    return { ok: true, mediaType: 'image/png', width: png.width, height: png.height };
  } catch (error) {
    return { ok: false, reason: `not a valid PNG (${(error as Error).message})` };
  }
}

/** Walks the JPEG marker segments up to the scan and checks the end-of-image marker. */
function checkJpeg(bytes: Buffer): ImageCheck {
  let at = 2;
  let width = 0;
  let height = 0;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return { ok: false, reason: `not a valid JPEG (no marker at byte ${at})` };
    const marker = bytes[at + 1];
    if (marker === 0xff) {
      at++;
      continue;
    }
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += 2;
      continue;
    }
    const length = bytes.readUInt16BE(at + 2);
    if (length < 2 || at + 2 + length > bytes.length) return { ok: false, reason: 'not a valid JPEG (truncated segment)' };
    const isStartOfFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isStartOfFrame && length >= 7) {
      height = bytes.readUInt16BE(at + 5);
      width = bytes.readUInt16BE(at + 7);
    }
    if (marker === 0xda) {
      if (width < 1 || height < 1) return { ok: false, reason: 'not a valid JPEG (no frame header before the scan)' };
      const end = bytes.length >= 2 && bytes[bytes.length - 2] === 0xff && bytes[bytes.length - 1] === 0xd9;
      return end ? { ok: true, mediaType: 'image/jpeg', width, height } : { ok: false, reason: 'not a valid JPEG (truncated: no end-of-image marker)' };
    }
    at += 2 + length;
  }
  return { ok: false, reason: 'not a valid JPEG (no image scan)' };
}
