/**
 * What the platform expects of each supported architecture's ONNX graphs. All are transformers.js
 * image-text-to-text models made of three sessions: embed_tokens, vision_encoder and
 * decoder_model_merged (names and I/O as transformers.js 4.3 reads them).
 */
export const SUPPORTED_ARCHITECTURES = ['llava', 'qwen2_vl', 'qwen2_5_vl'] as const;
export type SupportedArchitecture = (typeof SUPPORTED_ARCHITECTURES)[number];

export const SESSION_NAMES = ['embed_tokens', 'vision_encoder', 'decoder_model_merged'] as const;
export type SessionName = (typeof SESSION_NAMES)[number];

export interface SessionContract {
  requiredInputs: string[];
  /** Inputs that may be declared (transformers.js passes them only when the graph declares them). */
  optionalInputs: string[];
  requiredOutputs: string[];
}

export interface ArchitectureContract {
  /** `model_type` that config.json must carry. */
  modelType: string;
  sessions: Record<SessionName, SessionContract>;
}

const embedTokens: SessionContract = { requiredInputs: ['input_ids'], optionalInputs: [], requiredOutputs: ['inputs_embeds'] };

/** Decoder I/O besides the KV cache, which is checked separately (past_key_values.N.* ↔ present.N.*). */
function decoder(positionIdsRequired: boolean): SessionContract {
  return {
    requiredInputs: ['inputs_embeds', 'attention_mask', ...(positionIdsRequired ? ['position_ids'] : [])],
    optionalInputs: [...(positionIdsRequired ? [] : ['position_ids']), 'use_cache_branch', 'num_logits_to_keep'],
    requiredOutputs: ['logits'],
  };
}

export const ARCHITECTURE_CONTRACTS: Record<SupportedArchitecture, ArchitectureContract> = {
  llava: {
    modelType: 'llava',
    sessions: {
      embed_tokens: embedTokens,
      vision_encoder: { requiredInputs: ['pixel_values'], optionalInputs: [], requiredOutputs: ['image_features'] },
      decoder_model_merged: decoder(false),
    },
  },
  qwen2_vl: {
    modelType: 'qwen2_vl',
    sessions: {
      embed_tokens: embedTokens,
      vision_encoder: { requiredInputs: ['pixel_values', 'grid_thw'], optionalInputs: [], requiredOutputs: ['image_features'] },
      decoder_model_merged: decoder(true),
    },
  },
  qwen2_5_vl: {
    modelType: 'qwen2_5_vl',
    sessions: {
      embed_tokens: embedTokens,
      vision_encoder: { requiredInputs: ['pixel_values', 'image_grid_thw'], optionalInputs: [], requiredOutputs: ['image_features'] },
      decoder_model_merged: decoder(true),
    },
  },
};

export const PAST_KEY_PATTERN = /^past_key_values\.(\d+)\.(key|value)$/;
export const PRESENT_KEY_PATTERN = /^present\.(\d+)\.(key|value)$/;
