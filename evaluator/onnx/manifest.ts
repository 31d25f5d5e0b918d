/**
 * The submission manifest (`spinebench-manifest.json` at the root of an ONNX bundle): what the team
 * declares about its model. Documented in docs/onnx-submissions.md.
 */
import { z } from 'zod';
import { SUPPORTED_ARCHITECTURES } from './architectures';

export const MANIFEST_FILE_NAME = 'spinebench-manifest.json';
export const MANIFEST_FORMAT = 'spinebench-onnx/1';

/** transformers.js dtypes and the file-name suffix each one selects (`onnx/<session><suffix>.onnx`). */
export const DTYPE_FILE_SUFFIX = {
  fp32: '',
  fp16: '_fp16',
  q8: '_quantized',
  int8: '_int8',
  uint8: '_uint8',
  q4: '_q4',
  q4f16: '_q4f16',
  bnb4: '_bnb4',
} as const;
export type OnnxDtype = keyof typeof DTYPE_FILE_SUFFIX;

/** Upper bound on generation length a team may ask for (reports are long; answers are short). */
export const MAX_NEW_TOKENS_CEILING = 4096;

export const onnxManifestSchema = z
  .object({
    format: z.literal(MANIFEST_FORMAT),
    architecture: z.enum(SUPPORTED_ARCHITECTURES),
    dtype: z.enum(Object.keys(DTYPE_FILE_SUFFIX) as [OnnxDtype, ...OnnxDtype[]]),
    /** Where the chat template comes from: tokenizer_config.json's `chat_template`, or inline Jinja. */
    chatTemplate: z.union([
      z.object({ from: z.literal('tokenizer_config') }).strict(),
      z.object({ inline: z.string().min(1).max(100_000) }).strict(),
    ]),
    maxNewTokens: z.number().int().min(1).max(MAX_NEW_TOKENS_CEILING),
    /** Bytes the model needs in memory; at least the size of the onnx/ folder. */
    declaredTotalBytes: z.number().int().positive(),
    /** Optional free text shown to maintainers. */
    description: z.string().max(2000).optional(),
  })
  .strict();

export type OnnxManifest = z.infer<typeof onnxManifestSchema>;
