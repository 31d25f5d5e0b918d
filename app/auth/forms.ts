import { z } from 'zod';

/** Longest accepted values; the forms' `maxLength` attributes use the same numbers. */
export const LIMITS = { email: 254, password: 256, passwordMin: 10, teamName: 80, token: 200 } as const;

export const emailField = z
  .string({ required_error: 'E-mail address is required.' })
  .trim()
  .toLowerCase()
  .min(1, 'E-mail address is required.')
  .max(LIMITS.email, `E-mail address must be at most ${LIMITS.email} characters.`)
  .email('E-mail address must look like name@example.org.');

export const newPasswordField = z
  .string({ required_error: 'Password is required.' })
  .min(LIMITS.passwordMin, `Password must be at least ${LIMITS.passwordMin} characters.`)
  .max(LIMITS.password, `Password must be at most ${LIMITS.password} characters.`);

export const signUpForm = z.object({ email: emailField, password: newPasswordField });

export const signInForm = z.object({
  email: emailField,
  password: z.string().min(1, 'Password is required.').max(LIMITS.password, `Password must be at most ${LIMITS.password} characters.`),
  next: z.string().max(2000).optional(),
});

export const forgotPasswordForm = z.object({ email: emailField });

export const resetPasswordForm = z.object({
  token: z.string().min(1, 'The reset link is incomplete.').max(LIMITS.token, 'The reset link is malformed.'),
  password: newPasswordField,
});
