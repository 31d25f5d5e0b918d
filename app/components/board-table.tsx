import { Link } from '@remix-run/react';
import { boardSearch, defaultDirection, formatScored, type BoardQuery, type BoardTable } from '../utils/board-table';
import { RankCell } from './rank-cell';
import { ModelBadges } from './model-badges';
import { ModerationBadge } from './moderation-badge';

interface Props {
  table: BoardTable;
  query: BoardQuery;
  /** The view's path, without search. */
  basePath: string;
}

/** A column header that sorts by that column: a plain link, so sorting works without JavaScript. */
function SortHeader({ sortKey, label, title, query, basePath, numeric }: { sortKey: string; label: string; title?: string; query: BoardQuery; basePath: string; numeric?: boolean }) {
  const active = query.sort === sortKey;
  const dir = active ? (query.dir === 'asc' ? 'desc' : 'asc') : defaultDirection(sortKey);
  const href = `${basePath}${boardSearch({ ...query, sort: sortKey, dir })}`;
  const ariaSort = active ? (query.dir === 'asc' ? 'ascending' : 'descending') : undefined;
  return (
    <th scope="col" className={numeric ? 'num' : undefined} aria-sort={ariaSort} title={title}>
      <Link to={href} preventScrollReset data-testid={`sort-${sortKey}`}>
        {label}
        {active ? <span aria-hidden="true">{query.dir === 'asc' ? ' ▲' : ' ▼'}</span> : null}
      </Link>
    </th>
  );
}

/** The server-rendered board: the source of truth that charts and exports mirror. */
export function BoardTableView({ table, query, basePath }: Props) {
  const h = (sortKey: string, label: string, numeric = false, title?: string) => (
    <SortHeader key={sortKey} sortKey={sortKey} label={label} title={title} query={query} basePath={basePath} numeric={numeric} />
  );
  return (
    <div className="table-scroll" role="region" aria-label="Leaderboard table" tabIndex={0}>
      <table data-testid="board-table" data-view={table.view}>
        <thead>
          <tr>
            {h('rank', 'Rank')}
            {h('model', 'Model')}
            {h('team', 'Team')}
            {h('size', 'Size', true, 'Parameters in billions and open or closed weights, from the model card')}
            {table.columns.map((c) => h(c.key, c.label, true, c.description))}
            {h('items', 'Items', true)}
            {h('evaluated', 'Evaluated')}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((r) => (
            <tr key={r.runId} data-testid="leaderboard-row" data-model={r.modelName}>
              <RankCell rank={r.rank} rankLow={r.rankLow} rankHigh={r.rankHigh} stale={r.stale} />
              <td>
                <Link to={`/models/${r.modelId}`}>{r.modelName}</Link>
                <ModelBadges isBaseline={r.isBaseline} runBy={r.runBy} />
                <ModerationBadge moderation={r.moderation} />
                <div className="run-link">
                  <Link to={`/runs/${r.runId}`} className="note">run #{r.runId}</Link>
                </div>
              </td>
              <td>{r.teamName}</td>
              <td className="num" data-col="size">
                {r.parametersB === null ? <span aria-label="not stated">—</span> : `${r.parametersB} B`}
                {r.weights ? <div className="note">{r.weights}</div> : null}
              </td>
              {table.columns.map((c) => {
                const v = r.cells[c.key] ?? null;
                return (
                  <td key={c.key} className="num" data-col={c.key}>
                    {v ? (
                      <>
                        <strong>{v.score.toFixed(c.scale === 'rating' ? 2 : 1)}</strong>
                        {v.ci ? <span className="ci"> {formatScored(v, c.scale).slice(formatScored(v, c.scale).indexOf('['))}</span> : null}
                      </>
                    ) : (
                      <span aria-label="no score">—</span>
                    )}
                  </td>
                );
              })}
              <td className="num">{r.nItems}</td>
              <td>{r.evaluatedAt.slice(0, 10)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
