import type { LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Link, useLoaderData } from '@remix-run/react';
import { countReleaseItems, listDevItems } from '../../db/queries/releases';
import { devItemView, loadPublicRelease, type DevItemView } from '../utils/release-pages.server';

export const meta: MetaFunction = ({ params }) => [{ title: `Dev items · ${params.release ?? ''} · SpineBench Hub` }];

export async function loader({ context, params, request }: LoaderFunctionArgs) {
  const { db, config } = context.services;
  const release = await loadPublicRelease(db, params.release ?? '');
  const perPage = config.devItemsPerPage;
  const total = (await countReleaseItems(db, release.id)).dev;
  const pages = Math.max(1, Math.ceil(total / perPage));
  const requested = Number(new URL(request.url).searchParams.get('page') ?? '1');
  const page = Number.isInteger(requested) ? Math.min(Math.max(requested, 1), pages) : 1;
  // listDevItems reads the dev split only: the hidden test split cannot reach this page.
  const rows = await listDevItems(db, release.id, { limit: perPage, offset: (page - 1) * perPage });
  return { page, pages, total, firstIndex: (page - 1) * perPage, items: rows.map((row) => devItemView(row.item)) };
}

/** The public dev split, item by item: images, question, options with the answer, and the labels. */
export default function DevItemBrowser() {
  const { page, pages, total, firstIndex, items } = useLoaderData<typeof loader>();
  return (
    <section className="item-browser">
      <p className="note">
        The public dev split ({total} items) shows the format and difficulty of the benchmark; ranked runs use the
        hidden test split, which is never shown. Correct answers are highlighted.
      </p>
      <Pager page={page} pages={pages} />
      <ol className="dev-items" start={firstIndex + 1}>
        {items.map((item) => <DevItemCard key={item.id} item={item} />)}
      </ol>
      <Pager page={page} pages={pages} />
    </section>
  );
}

function Pager({ page, pages }: { page: number; pages: number }) {
  if (pages <= 1) return null;
  return (
    <nav className="pager" aria-label="pages">
      {page > 1 ? <Link to={`?page=${page - 1}`} rel="prev">← previous</Link> : <span />}
      <span data-testid="page-of">page {page} of {pages}</span>
      {page < pages ? <Link to={`?page=${page + 1}`} rel="next">next →</Link> : <span />}
    </nav>
  );
}

function DevItemCard({ item }: { item: DevItemView }) {
  const lang = item.language === 'zh' ? 'zh' : 'en';
  return (
    <li className="dev-item" data-item-id={item.id} data-testid="dev-item">
      <header className="dev-item-head">
        <code>{item.id}</code>
        <span className="badge">{item.task === 'mcq' ? 'multiple choice' : 'report'}</span>
        <span className="badge">{item.inputKind === 'image' ? 'image + text' : 'text only'}</span>
        <span className="badge">{item.language === 'zh' ? '中文' : 'English'}</span>
      </header>
      {item.images.length > 0 ? (
        <div className="dev-item-images">
          {item.images.map((image, i) => (
            <figure key={`${image.src}-${i}`}>
              <img src={image.src} alt={`${image.modality} ${image.view}`} loading="lazy" />
              <figcaption>{modalityName(image.modality)} · {image.view.replace(/_/g, ' ')}</figcaption>
            </figure>
          ))}
        </div>
      ) : null}
      <div lang={lang}>
        {item.caseHistory ? (
          <>
            <h4>Case history</h4>
            <p>{item.caseHistory}</p>
          </>
        ) : null}
        <p className="question">{item.question}</p>
        {item.options.length > 0 ? (
          <ul className="options">
            {item.options.map((o) => (
              <li key={o.letter} className={o.correct ? 'correct' : undefined} data-correct={o.correct || undefined}>
                <b>{o.letter}.</b> {o.text}
                {o.correct ? <span className="answer-mark"> ✓ answer</span> : null}
              </li>
            ))}
          </ul>
        ) : null}
        {item.referenceReport.length > 0 ? (
          <details className="reference-report" open>
            <summary>Reference report</summary>
            <dl>
              {item.referenceReport.map((section) => (
                <div key={section.title}>
                  <dt>{section.title}</dt>
                  <dd>{section.text}</dd>
                </div>
              ))}
            </dl>
            {item.keyFindings.length > 0 ? (
              <p className="note">
                Key findings: {item.keyFindings.map((f) => `${f.finding} (${f.levels.join(', ')})`).join('; ')}
              </p>
            ) : null}
          </details>
        ) : null}
        {item.explanation ? <p className="note">Why: {item.explanation}</p> : null}
      </div>
      <dl className="labels">
        <dt>Skill</dt><dd>{item.skill.replace(/_/g, ' ')}</dd>
        <dt>Region</dt><dd>{item.region}</dd>
        <dt>Pathology</dt><dd>{item.pathology.replace(/_/g, ' ')}</dd>
        <dt>Levels</dt><dd>{item.levels.length > 0 ? item.levels.join(', ') : '—'}</dd>
      </dl>
      <p className="provenance note">
        {item.provenance.synthetic ? 'Synthetic item (generated, not a real patient). ' : ''}
        Source: {item.provenance.source}
        {item.provenance.id ? ` · ${item.provenance.id}` : ''}
        {item.provenance.doi ? <> · <a href={`https://doi.org/${item.provenance.doi}`}>doi:{item.provenance.doi}</a></> : null}
      </p>
    </li>
  );
}

function modalityName(modality: string): string {
  return modality === 'xray' ? 'X-ray' : modality === 'ct' ? 'CT' : modality === 'mri' ? 'MRI' : modality;
}
