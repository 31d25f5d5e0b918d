import { randomUUID } from 'node:crypto';
import {
  clearSignInFailures,
  consumeEmailToken,
  countSignInFailures,
  findUserByEmail,
  findUserById,
  insertEmailToken,
  insertUser,
  markEmailVerified,
  recordSignInFailure,
  setPasswordHash,
} from '../../db/queries/accounts';
import type { AppServices } from '../services.server';
import { invalidateUserSessions } from './lucia.server';
import { sendMail } from './mailer.server';
import { newSecretToken, tokenDigest } from './one-time-tokens.server';
import { hashPassword, verifyPassword } from './passwords.server';

const VERIFY_TTL_MS = 48 * 3_600_000;
const RESET_TTL_MS = 3_600_000;

/** Where mailed links point: PUBLIC_URL, else the origin the request came to. */
function linkOrigin(request: Request, services: AppServices): string {
  return services.config.publicUrl?.replace(/\/+$/, '') ?? new URL(request.url).origin;
}

export async function sendVerificationMail(request: Request, services: AppServices, user: { id: string; email: string }) {
  const token = newSecretToken();
  await insertEmailToken(services.db, {
    tokenHash: tokenDigest(token),
    userId: user.id,
    purpose: 'verify-email',
    expiresAt: new Date(Date.now() + VERIFY_TTL_MS),
  });
  await sendMail(services.config, {
    to: user.email,
    subject: 'Verify your SpineBench Hub address',
    text: `Open this link within 48 hours to verify your address:\n${linkOrigin(request, services)}/verify-email?token=${token}`,
  });
}

/** Creates an account (unverified) and mails the verification link; null when the address is taken. */
export async function signUp(request: Request, services: AppServices, email: string, password: string) {
  const user = await insertUser(services.db, { id: randomUUID(), email, passwordHash: await hashPassword(password) });
  if (!user) return null;
  await sendVerificationMail(request, services, { id: user.id, email });
  return user;
}

/** Verifies an address by its link; an ADMIN_EMAILS address becomes a maintainer here (only once verified). */
export async function verifyEmail(services: AppServices, token: string): Promise<boolean> {
  const row = await consumeEmailToken(services.db, tokenDigest(token), 'verify-email');
  if (!row) return false;
  const user = await findUserById(services.db, row.userId);
  if (!user) return false;
  await markEmailVerified(services.db, user.id, !!user.email && services.config.adminEmails.includes(user.email));
  return true;
}

export type SignInResult =
  | { ok: true; userId: string }
  | { ok: false; status: 401 | 429; error: string };

/**
 * Checks a password, throttled per account and per client address: past the limit of recent failures
 * (SIGN_IN_MAX_FAILURES, SIGN_IN_MAX_FAILURES_PER_ADDRESS within SIGN_IN_WINDOW_MS) every try is refused
 * unchecked, right or wrong, until the window has passed.
 */
export async function authenticate(services: AppServices, email: string, password: string, clientAddress: string): Promise<SignInResult> {
  const { db, config } = services;
  const accountKey = `account:${email}`;
  const addressKey = `address:${clientAddress}`;
  const failures = await countSignInFailures(db, [accountKey, addressKey], new Date(Date.now() - config.signInWindowMs));
  const minutes = Math.ceil(config.signInWindowMs / 60_000);
  if ((failures.get(accountKey) ?? 0) >= config.signInMaxFailuresPerAccount) {
    return { ok: false, status: 429, error: `Too many failed sign-ins for this account; try again in ${minutes} minutes or reset the password.` };
  }
  if ((failures.get(addressKey) ?? 0) >= config.signInMaxFailuresPerAddress) {
    return { ok: false, status: 429, error: `Too many failed sign-ins from your address; try again in ${minutes} minutes.` };
  }
  const user = await findUserByEmail(db, email);
  if (!user || !(await verifyPassword(user.passwordHash, password))) {
    await recordSignInFailure(db, [accountKey, addressKey]);
    return { ok: false, status: 401, error: 'E-mail address or password is wrong.' };
  }
  await clearSignInFailures(db, accountKey);
  return { ok: true, userId: user.id };
}

/** Mails a reset link when the address has an account; says nothing either way (no account probing). */
export async function requestPasswordReset(request: Request, services: AppServices, email: string) {
  const user = await findUserByEmail(services.db, email);
  if (!user) return;
  const token = newSecretToken();
  await insertEmailToken(services.db, {
    tokenHash: tokenDigest(token),
    userId: user.id,
    purpose: 'reset-password',
    expiresAt: new Date(Date.now() + RESET_TTL_MS),
  });
  await sendMail(services.config, {
    to: email,
    subject: 'Reset your SpineBench Hub password',
    text: `Open this link within an hour to choose a new password:\n${linkOrigin(request, services)}/reset-password?token=${token}\nIf you did not ask for it, ignore this mail.`,
  });
}

/** Sets a new password from a reset link; every session of the account ends. */
export async function resetPassword(services: AppServices, token: string, password: string): Promise<string | null> {
  const row = await consumeEmailToken(services.db, tokenDigest(token), 'reset-password');
  if (!row) return null;
  await setPasswordHash(services.db, row.userId, await hashPassword(password));
  await invalidateUserSessions(services.db, row.userId);
  // A reset proves control of the address as much as the verification link does.
  const user = await findUserById(services.db, row.userId);
  if (user && !user.emailVerifiedAt) {
    await markEmailVerified(services.db, user.id, !!user.email && services.config.adminEmails.includes(user.email));
  }
  return row.userId;
}
