import type { BoardColumn, BoardTable, BoardTableRow, Scored } from './board-table';

/** CSV and JSON of a board view, rounded as the page prints them so that every export matches the page. Pure. */

const round = (x: number, scale: BoardColumn['scale']) => Number(x.toFixed(scale === 'rating' ? 2 : 1));

function exportCell(value: Scored | null, scale: BoardColumn['scale']) {
  if (!value) return null;
  return { score: round(value.score, scale), low: value.ci ? round(value.ci[0], scale) : null, high: value.ci ? round(value.ci[1], scale) : null, n: value.n };
}

function rowIdentity(r: BoardTableRow) {
  return {
    rank: r.rank,
    rankLow: r.rankLow,
    rankHigh: r.rankHigh,
    model: r.modelName,
    team: r.teamName,
    parametersB: r.parametersB,
    weights: r.weights,
    baseline: r.isBaseline,
    runBy: r.runBy,
    runId: r.runId,
    modelId: r.modelId,
    items: r.nItems,
    evaluated: r.evaluatedAt,
  };
}

export function boardJson(table: BoardTable, meta: Record<string, unknown>) {
  return {
    ...meta,
    view: table.view,
    note: table.filterNote,
    columns: table.columns,
    rows: table.rows.map((r) => ({
      ...rowIdentity(r),
      scores: Object.fromEntries(table.columns.map((c) => [c.key, exportCell(r.cells[c.key] ?? null, c.scale)])),
    })),
  };
}

function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  // A name a spreadsheet would run as a formula is prefixed with an apostrophe (OWASP CSV injection).
  const s = typeof value === 'string' && /^[=+\-@\t\r]/.test(value) ? `'${value}` : String(value);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One line per row: identity, then score, low and high of each column. */
export function boardCsv(table: BoardTable): string {
  const identityKeys = Object.keys(rowIdentity(table.rows[0] ?? ({} as BoardTableRow)));
  const header = [
    ...(identityKeys.length ? identityKeys : ['rank', 'rankLow', 'rankHigh', 'model', 'team', 'baseline', 'runBy', 'runId', 'modelId', 'items', 'evaluated']),
    ...table.columns.flatMap((c) => [c.key, `${c.key}_low`, `${c.key}_high`]),
  ];
  const lines = table.rows.map((r) => {
    const cells = table.columns.flatMap((c) => {
      const e = exportCell(r.cells[c.key] ?? null, c.scale);
      return [e?.score, e?.low, e?.high];
    });
    return [...Object.values(rowIdentity(r)), ...cells].map(csvField).join(',');
  });
  return `${[header.join(','), ...lines].join('\r\n')}\r\n`;
}
