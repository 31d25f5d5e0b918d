import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from '@remix-run/node';
import { Form, Link, Links, Meta, Outlet, Scripts, ScrollRestoration, isRouteErrorResponse, useLocation, useRouteError, useRouteLoaderData } from '@remix-run/react';
import { currentUser } from './auth/session.server';
import { useCspNonce } from './components/csp-nonce';
import { describeError } from './utils/error-description';
import stylesUrl from './styles.css?url';

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await currentUser(request, context.services);
  return { user: user ? { email: user.email, role: user.role } : null };
}

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: stylesUrl },
  // Files of public/ (served with a short max-age by server/web/static-assets.ts).
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
  { rel: 'icon', href: '/favicon.ico', sizes: '32x32' },
];

/** Pages set their own titles; this one is only used when the root error boundary shows an error page. */
export const meta: MetaFunction = ({ error, location }) => [
  { title: error ? describeError(isRouteErrorResponse(error) ? error : null, location.pathname).title : 'SpineBench Hub' },
];

export function Layout({ children }: { children: React.ReactNode }) {
  const user = useRouteLoaderData<typeof loader>('root')?.user;
  const nonce = useCspNonce();
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
            <Link to="/leaderboard">Leaderboards</Link>
            <Link to="/about">About</Link>
            <Link to="/submit">Submit a model</Link>
            <Link to="/queue">Queue</Link>
            {user?.role === 'maintainer' ? <Link to="/maintainer/releases">Maintainers</Link> : null}
            {user ? (
              <>
                <Link to="/account">Account</Link>
                <Form method="post" action="/signout" className="inline-form">
                  <button type="submit" className="link-button">Sign out</button>
                </Form>
              </>
            ) : (
              <>
                <Link to="/signin">Sign in</Link>
                <Link to="/signup">Create account</Link>
              </>
            )}
          </nav>
        </header>
        <main>{children}</main>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

/** Every page's errors land here (routes have no boundaries of their own): the title and text say what was not found. */
export function ErrorBoundary() {
  const error = useRouteError();
  const { pathname } = useLocation();
  const d = describeError(isRouteErrorResponse(error) ? error : null, pathname);
  return (
    <section className="error-page" data-testid="error-page" data-status={d.status}>
      <h1>{d.heading}</h1>
      <p>{d.message}</p>
      <p>
        <Link to="/">Home</Link> · <Link to="/leaderboard">Leaderboards</Link> · <Link to="/about">About SpineBench</Link>
      </p>
    </section>
  );
}
