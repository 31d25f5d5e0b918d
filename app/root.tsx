import type { LinksFunction } from '@remix-run/node';
import { Link, Links, Meta, Outlet, Scripts, ScrollRestoration, isRouteErrorResponse, useRouteError } from '@remix-run/react';
import stylesUrl from './styles.css?url';

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: stylesUrl }];

export function Layout({ children }: { children: React.ReactNode }) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        <header className="site-header">
          <Link to="/" className="brand">SpineBench Hub</Link>
          <nav>
            <Link to="/">Leaderboards</Link>
            <Link to="/submit">Submit a model</Link>
            <Link to="/queue">Queue</Link>
            <Link to="/maintainer/releases">Maintainers</Link>
          </nav>
        </header>
        <main>{children}</main>
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error) ? `${error.status} ${error.data ?? error.statusText}` : 'Something went wrong.';
  return (
    <section>
      <h1>Error</h1>
      <p>{message}</p>
    </section>
  );
}
