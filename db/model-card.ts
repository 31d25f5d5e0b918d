/** A model card as stored on `models` (the form and its rules: app/models/model-card.ts). */
export interface ModelCard {
  /** Parameters in billions. */
  parametersB: number | null;
  baseModel: string | null;
  weights: 'open' | 'closed' | null;
  licence: string | null;
  paperUrl: string | null;
  codeUrl: string | null;
  weightsUrl: string | null;
}

export const EMPTY_CARD: ModelCard = { parametersB: null, baseModel: null, weights: null, licence: null, paperUrl: null, codeUrl: null, weightsUrl: null };
