import { Form, NavLink } from '@remix-run/react';

/** The maintainer console's pages; every one of them is behind the maintainer guard. */
const PAGES = [
  ['/maintainer', 'Overview'],
  ['/maintainer/releases', 'Releases'],
  ['/maintainer/calibration', 'Judge calibration'],
  ['/maintainer/teams', 'Teams'],
  ['/maintainer/moderation', 'Moderation'],
  ['/maintainer/audit', 'Audit log'],
] as const;

export function ConsoleNav() {
  return (
    <nav aria-label="Maintainer console">
      <ul className="console-nav">
        {PAGES.map(([to, label]) => (
          <li key={to}>
            <NavLink to={to} end>{label}</NavLink>
          </li>
        ))}
        <li>
          <Form method="post" action="/maintainer/logout" className="inline-form">
            <button type="submit">Sign out</button>
          </Form>
        </li>
      </ul>
    </nav>
  );
}
