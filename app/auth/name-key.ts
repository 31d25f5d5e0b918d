import { remove as foldConfusables } from 'confusables';

/**
 * The form of a team or model name that uniqueness is checked on, so that a look-alike cannot pose as a
 * registered name: "Vіctim Lab" (Cyrillic і), "Ｖｉｃｔｉｍ Lab" (full width), "Victim\u200b Lab" (zero width)
 * and "VICTIM LAB" all give the key of "Victim Lab". Pure.
 *
 * Steps: NFKC (compatibility forms), invisible and format characters dropped, Unicode confusables folded to
 * their Latin look-alike (the `confusables` package, from Unicode TR39 data), lower case, then the few
 * Latin-internal look-alikes TR39 leaves alone (rn/m, 0/o, 1/l/i, vv/w) and runs of spaces, "_" and "-".
 * The key is only compared, never shown: the name itself is kept as typed.
 */
export function nameKey(name: string): string {
  const visible = name.normalize('NFKC').replace(/[\p{Cf}\p{Default_Ignorable_Code_Point}]/gu, '');
  return foldConfusables(visible)
    .normalize('NFKC')
    .toLowerCase()
    .replace(/rn/g, 'm')
    .replace(/vv/g, 'w')
    .replace(/0/g, 'o')
    .replace(/[1i|!ı]/g, 'l')
    .replace(/[\s_\-]+/g, ' ')
    .trim();
}
