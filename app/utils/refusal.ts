/**
 * A refusal a loader or action throws: a real Response, so that resource routes (APIs, downloads) answer
 * with its status and message, and page routes show it in their error boundary. (Remix turns a thrown
 * `data()` in a resource route into "Unexpected Server Error".)
 */
export function refusal(status: number, message: string): Response {
  return new Response(message, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}
