import { z } from 'zod';

/**
 * The kinds of value an environment variable can hold. Each says, in words, what it accepts: that
 * phrase is what an operator reads when a value is refused, and what the README table shows.
 */
export interface EnvValue<T> {
  /** What a valid value looks like, e.g. "a whole number ≥ 1". */
  accepts: string;
  /** Parses the trimmed, non-empty text of the variable. */
  schema: z.ZodType<T, z.ZodTypeDef, string>;
}

/** A whole number in `[min, max]`, written in plain digits (no sign, no exponent, no unit). */
export function wholeNumber(min: number, max?: number): EnvValue<number> {
  const accepts = max === undefined ? `a whole number ≥ ${min}` : `a whole number from ${min} to ${max}`;
  const schema = z
    .string()
    .regex(/^\d+$/)
    .transform(Number)
    .pipe(z.number().int().min(min).max(max ?? Number.MAX_SAFE_INTEGER));
  return { accepts, schema };
}

/** A decimal number such as `2` or `1.5`, within [min, max]. */
export function decimal(min: number, max: number): EnvValue<number> {
  const schema = z
    .string()
    .regex(/^\d+(\.\d+)?$/)
    .transform(Number)
    .pipe(z.number().min(min).max(max));
  return { accepts: `a number from ${min} to ${max}`, schema };
}

/** Any non-empty text (the caller has already trimmed it). */
export function text(accepts = 'any text'): EnvValue<string> {
  return { accepts, schema: z.string().min(1) };
}

/** One of a fixed set of words. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T): EnvValue<T[number]> {
  return { accepts: values.map((v) => `\`${v}\``).join(' or '), schema: z.enum(values) as unknown as z.ZodType<T[number], z.ZodTypeDef, string> };
}

/** A switch: 1/true/yes/on or 0/false/no/off. */
export function flag(): EnvValue<boolean> {
  return {
    accepts: '`1` or `0` (also true/false, yes/no, on/off)',
    schema: z
      .string()
      .transform((s) => s.toLowerCase())
      .pipe(z.enum(['1', 'true', 'yes', 'on', '0', 'false', 'no', 'off']))
      .transform((s) => ['1', 'true', 'yes', 'on'].includes(s)),
  };
}

/** A URL whose scheme is one of `protocols` (e.g. `postgres:`). */
export function url(protocols: readonly string[]): EnvValue<string> {
  const names = protocols.map((p) => `${p}//`).join(' or ');
  return {
    accepts: `a URL starting with ${names}`,
    schema: z.string().refine((s) => {
      try {
        return protocols.includes(new URL(s).protocol);
      } catch {
        return false;
      }
    }),
  };
}

/** A list of words separated by commas or spaces. */
export function wordList(accepts: string): EnvValue<string[]> {
  return { accepts, schema: z.string().transform((s) => s.split(/[\s,]+/).filter(Boolean)) };
}

/** E-mail addresses separated by commas or spaces, lower-cased. */
export function emailList(): EnvValue<string[]> {
  return {
    accepts: 'e-mail addresses separated by commas or spaces',
    schema: z
      .string()
      .transform((s) => s.split(/[\s,]+/).filter(Boolean).map((e) => e.toLowerCase()))
      .pipe(z.array(z.string().email())),
  };
}
