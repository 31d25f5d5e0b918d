import { z } from 'zod';

/** The format tag every manifest.json carries; bump on incompatible change. */
export const RELEASE_FORMAT = 'spinebench-release/1';

const splitCountsSchema = z.object({
  /** Number of items of this split in items.jsonl. */
  items: z.number().int().nonnegative(),
});

/** A release's manifest.json (docs/release-format.md). */
export const releaseManifestSchema = z
  .object({
    format: z.literal(RELEASE_FORMAT),
    name: z.string().min(1).max(100).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'name may hold letters, digits, ".", "_" and "-" only'),
    version: z.string().min(1).max(50).regex(/^[A-Za-z0-9][A-Za-z0-9.+_-]*$/, 'version may hold letters, digits, ".", "+", "_" and "-" only'),
    licence: z.string().min(1),
    description: z.string().min(1),
    /** ISO 8601 date or date-time. */
    created: z.string().refine((value) => /^\d{4}-\d{2}-\d{2}/.test(value) && !Number.isNaN(Date.parse(value)), 'must be an ISO 8601 date'),
    splits: z.object({ dev: splitCountsSchema, test: splitCountsSchema }),
    /** `sha256:<64 hex>` over items.jsonl and the image files, see computeContentHash. */
    contentHash: z.string().regex(/^sha256:[0-9a-f]{64}$/, 'must be "sha256:" followed by 64 lower-case hex digits'),
    /** Whether the items are synthetic (SpineBench-Synth) rather than real cases. */
    synthetic: z.boolean().optional(),
  })
  .strict();

export type ReleaseManifest = z.infer<typeof releaseManifestSchema>;
