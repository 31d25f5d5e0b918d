import { Form } from '@remix-run/react';
import { TextField } from './text-field';

export interface VerificationItem {
  id: number;
  origin: string;
  token: string;
  verifiedAt: string | null;
  checkedAt: string | null;
  lastError: string | null;
}

/** The team page's endpoint host verification: the token to serve, its state, and a check button (owners). */
export function EndpointVerificationSection({ items, isOwner, fieldError }: { items: VerificationItem[]; isOwner: boolean; fieldError?: string }) {
  return (
    <section aria-labelledby="verify-heading">
      <h2 id="verify-heading">Endpoint hosts</h2>
      <p className="note">
        Prove that your team controls an endpoint’s host: serve the token below as the whole body of
        <code> /.well-known/spinebench-verification</code> on that origin (HTTP 200, plain text), then check. Endpoint runs on a
        verified host show a “host verified” badge.
      </p>
      {items.length > 0 ? (
        <ul className="verifications">
          {items.map((v) => (
            <li key={v.id} data-testid={`verification-${v.id}`}>
              <strong>{v.origin}</strong>{' '}
              {v.verifiedAt ? <span className="badge confirmed">host verified {v.verifiedAt.slice(0, 10)}</span> : <span className="badge">not verified</span>}
              <div className="note">
                Serve at <code>{v.origin}/.well-known/spinebench-verification</code>: <code className="token-value" data-testid="verification-token">{v.token}</code>
              </div>
              {v.lastError ? <div className="field-error">Last check ({v.checkedAt?.slice(0, 16).replace('T', ' ')} UTC): {v.lastError}</div> : null}
              {isOwner ? (
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="check-endpoint" />
                  <input type="hidden" name="verificationId" value={v.id} />
                  <button type="submit" aria-label={`Check ${v.origin} now`}>Check now</button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {isOwner ? (
        <Form method="post" className="stack">
          <input type="hidden" name="intent" value="verify-endpoint" />
          <TextField name="endpointUrl" label="Endpoint URL to verify" hint="e.g. https://models.example.org/v1 (its origin is verified)" maxLength={2048} required error={fieldError} />
          <button type="submit">Get a verification token</button>
        </Form>
      ) : null}
    </section>
  );
}
