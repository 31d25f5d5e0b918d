import type { MetaFunction } from '@remix-run/node';
import { useLoaderData } from '@remix-run/react';
import { docOperations } from '../api/docs-model';
import { openApiDocument } from '../api/openapi';

export const meta: MetaFunction = () => [{ title: 'API · SpineBench Hub' }];

/** /api/docs: the OpenAPI document as a page, rendered on the server (no script, no CDN). */
export function loader() {
  const doc = openApiDocument() as unknown as Record<string, unknown>;
  return { operations: docOperations(doc), info: doc.info as { title: string; version: string; description: string } };
}

export default function ApiDocs() {
  const { operations, info } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{info.title} <span className="badge">v{info.version}</span></h1>
      <p>{info.description}</p>
      <p>
        Machine-readable: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI 3). Team calls need a team API token,
        created by a team owner on the team page, sent as <code>Authorization: Bearer sbh_…</code>. The <code>spinebench</code> CLI
        (<code>npx spinebench --help</code>) wraps these calls.
      </p>
      <nav aria-label="Operations">
        <ul>
          {operations.map((op) => (
            <li key={op.id}><a href={`#${op.id}`}><code>{op.method} {op.path}</code></a> — {op.summary}</li>
          ))}
        </ul>
      </nav>
      {operations.map((op) => (
        <section key={op.id} id={op.id} aria-labelledby={`${op.id}-h`} className="api-op">
          <h2 id={`${op.id}-h`}><code>{op.method} {op.path}</code></h2>
          <p>{op.summary}. {op.scope ? <>Needs a team token with scope <strong>{op.scope}</strong>.</> : 'Public: no token needed.'}</p>
          {op.params.length > 0 ? (
            <div className="table-scroll" role="region" aria-label={`${op.method} ${op.path}: parameters`} tabIndex={0}>
              <table>
                <caption>Parameters</caption>
                <thead><tr><th scope="col">Name</th><th scope="col">In</th><th scope="col">Type</th><th scope="col">About</th></tr></thead>
                <tbody>
                  {op.params.map((p) => (
                    <tr key={`${p.in}-${p.name}`}><td><code>{p.name}</code>{p.required ? ' (required)' : ''}</td><td>{p.in}</td><td>{p.type}</td><td>{p.description}</td></tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          {op.body ? (
            <div className="table-scroll" role="region" aria-label={`${op.method} ${op.path}: request body`} tabIndex={0}>
              <table>
                <caption>Request body ({op.body.contentType})</caption>
                <thead><tr><th scope="col">Field</th><th scope="col">Type</th><th scope="col">About</th></tr></thead>
                <tbody>
                  {op.body.fields.length === 0 ? <tr><td colSpan={3}>The raw bytes.</td></tr> : op.body.fields.map((f) => (
                    <tr key={f.name}><td><code>{f.name}</code>{f.required ? ' (required)' : ''}</td><td>{f.type}</td><td>{f.description}</td></tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
          <div className="table-scroll" role="region" aria-label={`${op.method} ${op.path}: responses`} tabIndex={0}>
            <table>
              <caption>Responses</caption>
              <thead><tr><th scope="col">Status</th><th scope="col">Body</th><th scope="col">When</th></tr></thead>
              <tbody>
                {op.responses.map((r) => (
                  <tr key={r.status}><td>{r.status}</td><td>{r.schema ?? '—'}</td><td>{r.description}</td></tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ))}
    </>
  );
}
