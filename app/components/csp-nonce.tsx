import { createContext, useContext } from 'react';

/**
 * The Content Security Policy nonce of this response (server/web/security-headers.ts), handed from
 * app/entry.server.tsx to the inline scripts root.tsx renders. Empty in the browser, which needs none.
 */
export const CspNonceContext = createContext<string | undefined>(undefined);

export function useCspNonce(): string | undefined {
  return useContext(CspNonceContext);
}
