import type { LinksFunction, LoaderFunctionArgs } from '@remix-run/node';
import { Form, Link, Links, Meta, Outlet, Scripts, ScrollRestoration, isRouteErrorResponse, useRouteError, useRouteLoaderData } from '@remix-run/react';
import { currentUser } from './auth/session.server';
import stylesUrl from './styles.css?url';

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await currentUser(request, context.services);
  return { user: user ? { email: user.email, role: user.role } : null };
}

export const links: LinksFunction = () => [{ rel: 'stylesheet', href: stylesUrl }];

export function Layout({ children }: { children: React.ReactNode }) {
  const user = useRouteLoaderData<typeof loader>('root')?.user;
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
