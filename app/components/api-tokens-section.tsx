import { Form } from '@remix-run/react';
import { TextField } from './text-field';

export interface TokenListItem {
  id: number;
  name: string;
  scopes: string[];
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const when = (iso: string | null) => (iso ? `${iso.slice(0, 16).replace('T', ' ')} UTC` : 'never');

/** The team page's API tokens: list (last use shown), create (owners; the token is shown once), revoke. */
export function ApiTokensSection({ tokens, isOwner, newToken, fieldErrors }: {
  tokens: TokenListItem[];
  isOwner: boolean;
  newToken: { name: string; token: string } | null;
  fieldErrors: Record<string, string>;
}) {
  return (
    <section aria-labelledby="tokens-heading">
      <h2 id="tokens-heading">API tokens</h2>
      <p className="note">
        Tokens let scripts and the <code>spinebench</code> CLI use the <a href="/api/docs">API</a> for this team. Only a digest is stored:
        a token is shown once, when it is created.
      </p>
      {newToken ? (
        <div className="success-box" role="status">
          <p>Copy token “{newToken.name}” now; it will not be shown again:</p>
          <p><code data-testid="new-api-token" className="token-value">{newToken.token}</code></p>
        </div>
      ) : null}
      {tokens.length === 0 ? <p>No API tokens yet.</p> : (
        <div className="table-scroll" role="region" aria-label="API tokens" tabIndex={0}>
          <table data-testid="api-tokens">
            <thead>
              <tr><th scope="col">Name</th><th scope="col">Scopes</th><th scope="col">Created</th><th scope="col">Last used</th><th scope="col">State</th></tr>
            </thead>
            <tbody>
              {tokens.map((t) => (
                <tr key={t.id} data-testid={`api-token-${t.id}`}>
                  <td>{t.name}</td>
                  <td>{t.scopes.join(', ')}</td>
                  <td>{when(t.createdAt)}</td>
                  <td data-testid="token-last-used">{when(t.lastUsedAt)}</td>
                  <td>
                    {t.revokedAt ? <span className="badge">revoked {t.revokedAt.slice(0, 10)}</span> : isOwner ? (
                      <Form method="post" className="inline-form">
                        <input type="hidden" name="intent" value="revoke-token" />
                        <input type="hidden" name="tokenId" value={t.id} />
                        <button type="submit" aria-label={`Revoke API token ${t.name}`}>Revoke</button>
                      </Form>
                    ) : 'active'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {isOwner ? (
        <Form method="post" className="stack" aria-labelledby="new-token-heading">
          <h3 id="new-token-heading">Create a token</h3>
          <input type="hidden" name="intent" value="create-token" />
          <TextField name="tokenName" label="Token name" hint="What uses it, e.g. “CI on main”." maxLength={60} required error={fieldErrors.tokenName} />
          <fieldset aria-describedby={fieldErrors.scopes ? 'scopes-error' : undefined}>
            <legend>Scopes</legend>
            <label className="check"><input type="checkbox" name="scopes" value="submit" defaultChecked /> submit — submit models for this team</label>
            <label className="check"><input type="checkbox" name="scopes" value="read" defaultChecked /> read — read this team’s runs</label>
            {fieldErrors.scopes ? <span className="field-error" id="scopes-error" role="alert">Scopes: {fieldErrors.scopes}</span> : null}
          </fieldset>
          <button type="submit">Create token</button>
        </Form>
      ) : null}
    </section>
  );
}
