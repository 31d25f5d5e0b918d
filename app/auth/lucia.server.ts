/**
 * The only module that knows lucia (3, in maintenance upstream) and its drizzle adapter: sessions live in the
 * `auth_sessions` table, users in `users`. Everything else calls the functions below, so replacing lucia means
 * rewriting this file only.
 */
import { DrizzlePostgreSQLAdapter } from '@lucia-auth/adapter-drizzle';
import { Lucia, TimeSpan } from 'lucia';
import type { Database } from '../../db/client';
import { authSessions, users } from '../../db/schema';

export interface SessionUser {
  id: string;
  email: string | null;
  role: 'user' | 'maintainer';
  emailVerified: boolean;
}

function createLucia(db: Database) {
  return new Lucia(new DrizzlePostgreSQLAdapter(db, authSessions, users), {
    sessionExpiresIn: new TimeSpan(30, 'd'),
    // A browser-session cookie: the server-side session (30 days, sliding) is what expires.
    sessionCookie: { name: 'sbh_session', expires: false, attributes: { sameSite: 'lax' } },
    getUserAttributes: (row) => ({ email: row.email, role: row.role, emailVerified: row.emailVerifiedAt !== null }),
  });
}

declare module 'lucia' {
  interface Register {
    Lucia: ReturnType<typeof createLucia>;
    DatabaseUserAttributes: { email: string | null; role: 'user' | 'maintainer'; emailVerifiedAt: Date | null };
  }
}

const instances = new WeakMap<Database, ReturnType<typeof createLucia>>();
function lucia(db: Database) {
  let instance = instances.get(db);
  if (!instance) instances.set(db, (instance = createLucia(db)));
  return instance;
}

/** The session id the request's cookie names (unchecked). */
export function sessionIdFromCookie(db: Database, cookieHeader: string | null): string | null {
  return lucia(db).readSessionCookie(cookieHeader ?? '');
}

/** The signed-in user of a session id, or null when the session is unknown or expired. */
export async function validateSession(db: Database, sessionId: string): Promise<SessionUser | null> {
  const { user } = await lucia(db).validateSession(sessionId);
  return user ? { id: user.id, email: user.email, role: user.role, emailVerified: user.emailVerified } : null;
}

/** A new server-side session for the user; returns the Set-Cookie value. Ids are always made here, never taken. */
export async function createSessionCookie(db: Database, userId: string, secure: boolean): Promise<string> {
  const session = await lucia(db).createSession(userId, {});
  const cookie = lucia(db).createSessionCookie(session.id);
  cookie.attributes.secure = secure;
  return cookie.serialize();
}

export function blankSessionCookie(db: Database, secure: boolean): string {
  const cookie = lucia(db).createBlankSessionCookie();
  cookie.attributes.secure = secure;
  return cookie.serialize();
}

export async function invalidateSession(db: Database, sessionId: string): Promise<void> {
  await lucia(db).invalidateSession(sessionId);
}

export async function invalidateUserSessions(db: Database, userId: string): Promise<void> {
  await lucia(db).invalidateUserSessions(userId);
}
