/**
 * What server/web/board-page-cache.ts hands a board page or board JSON request on a miss
 * (AppLoadContext.boardPageCapture): a document is rendered with `token` as its nonce and stored as text (the token
 * is replaced per answer); bytes are stored and served as they are.
 */
export interface BoardPageCapture {
  token: string;
  store(body: string | Uint8Array, headers: Array<[string, string]>): void;
}

/**
 * A board page rendered with the capture's placeholder nonce: stored for the next visitors without cookies when it
 * is a whole public answer (200, no cookie set), and returned with this response's own nonce in its place.
 */
export function finishCapturedPage(html: string, status: number, headers: Headers, capture: BoardPageCapture, nonce: string): string {
  if (status === 200 && !headers.has('Set-Cookie')) capture.store(html, [...headers.entries()]);
  return html.replaceAll(capture.token, nonce);
}
