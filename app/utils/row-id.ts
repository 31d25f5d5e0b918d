/** A database row id from a URL parameter: a whole number within PostgreSQL's integer range, else null. */
export function parseRowId(param: string | undefined): number | null {
  if (!param || !/^\d{1,10}$/.test(param)) return null;
  const id = Number(param);
  return id > 0 && id <= 2_147_483_647 ? id : null;
}
