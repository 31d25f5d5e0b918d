/**
 * What an error page says (pure, so it is unit-tested): a title naming what was not found, a heading, and a
 * message. Thrown 4xx answers carry the loader's own words ("No model #7."); a path no route matches gets
 * "No page at /path". Server errors say nothing of their cause (the server log has it).
 */
export interface ErrorDescription {
  status: number;
  title: string;
  heading: string;
  message: string;
}

/** The shape of Remix's route error responses (isRouteErrorResponse), kept structural to stay pure. */
export interface RouteErrorLike {
  status: number;
  statusText?: string;
  data?: unknown;
}

const SITE = 'SpineBench Hub';

function loaderMessage(data: unknown): string | null {
  if (typeof data === 'string') {
    const text = data.trim();
    // Remix's own "no route" answer wraps an Error: "Error: No route matches URL ..." — not for visitors.
    if (!text || /^Error: No route matches URL/.test(text)) return null;
    return text.slice(0, 300);
  }
  if (data && typeof data === 'object' && typeof (data as { error?: unknown }).error === 'string') return loaderMessage((data as { error: string }).error);
  return null;
}

export function describeError(error: RouteErrorLike | null, pathname: string): ErrorDescription {
  if (error && error.status === 404) {
    const message = loaderMessage(error.data) ?? `No page at ${pathname}.`;
    return { status: 404, title: `Not found: ${message.replace(/\.$/, '')} · ${SITE}`, heading: 'Not found', message };
  }
  if (error && error.status >= 400 && error.status < 500) {
    const message = loaderMessage(error.data) ?? error.statusText ?? 'The request was refused.';
    return { status: error.status, title: `${error.status} ${error.statusText || 'Refused'} · ${SITE}`, heading: `${error.status} ${error.statusText || 'Refused'}`, message };
  }
  return {
    status: error?.status ?? 500,
    title: `Something went wrong · ${SITE}`,
    heading: 'Something went wrong',
    message: 'The server could not show this page. The error is logged; please try again later.',
  };
}
