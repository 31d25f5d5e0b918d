/**
 * The model card (issue: models and model cards): what a board shows about a model besides its scores. Pure:
 * the form/API schema, and which facts a hidden-split run needs before it may start.
 */
import { z } from 'zod';
import { EMPTY_CARD, type ModelCard } from '../../db/model-card';

export { EMPTY_CARD, type ModelCard };

const optionalText = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, `${label} may be at most ${max} characters.`)
    .optional()
    .transform((t) => t || undefined);

const optionalLink = (label: string) =>
  z
    .string()
    .trim()
    .max(500, `${label} may be at most 500 characters.`)
    .optional()
    .transform((t) => t || undefined)
    .refine((u) => u === undefined || /^https:\/\/[^\s/]+\.[^\s]+$/i.test(u), `${label} must be an https:// address.`);

/** Card fields as a form or an API body sends them: every one optional, blanks ignored. */
export const modelCardFields = z.object({
  parametersB: z
    .union([z.string(), z.number()])
    .optional()
    .transform((v) => (v === undefined || v === '' ? undefined : Number(v)))
    .refine((v) => v === undefined || (Number.isFinite(v) && v > 0 && v <= 10_000), 'Parameters: a number of billions, such as 7 or 0.5.'),
  baseModel: optionalText(200, 'Base model'),
  weights: z
    .union([z.enum(['open', 'closed']), z.literal('')])
    .optional()
    .transform((w) => w || undefined),
  licence: optionalText(100, 'Licence'),
  paperUrl: optionalLink('Paper link'),
  codeUrl: optionalLink('Code link'),
  weightsUrl: optionalLink('Weights link'),
});

export type ModelCardInput = z.infer<typeof modelCardFields>;

/** The facts a card must state before a hidden-split run: size, open or closed weights, licence. */
export const REQUIRED_FOR_HIDDEN_SPLIT = ['parametersB', 'weights', 'licence'] as const;

const LABELS: Record<(typeof REQUIRED_FOR_HIDDEN_SPLIT)[number], string> = {
  parametersB: 'the parameter count',
  weights: 'whether the weights are open or closed',
  licence: 'the licence',
};

/** The card after an edit: fields sent replace the stored ones, fields left out keep them. */
export function mergeCard(stored: ModelCard | undefined, input: ModelCardInput): ModelCard {
  const card = { ...EMPTY_CARD, ...stored };
  for (const [key, value] of Object.entries(input) as Array<[keyof ModelCard, unknown]>) {
    if (value !== undefined) (card as Record<string, unknown>)[key] = value;
  }
  return card;
}

/** Whether any card field was sent at all. */
export function hasCardInput(input: ModelCardInput): boolean {
  return Object.values(input).some((v) => v !== undefined);
}

/** Field errors for the facts a hidden-split run still lacks (empty when the card is complete). */
export function hiddenSplitCardGaps(card: ModelCard): Record<string, string> {
  const gaps: Record<string, string> = {};
  for (const field of REQUIRED_FOR_HIDDEN_SPLIT) {
    if (card[field] === null || card[field] === undefined) gaps[field] = `The model card must give ${LABELS[field]} before a hidden-split run.`;
  }
  return gaps;
}

/** The card as the edit form states it in full: a blank field clears what the card said. */
export function cardFromForm(input: ModelCardInput): ModelCard {
  const card = { ...EMPTY_CARD };
  for (const [key, value] of Object.entries(input) as Array<[keyof ModelCard, unknown]>) {
    (card as Record<string, unknown>)[key] = value ?? null;
  }
  return card;
}
