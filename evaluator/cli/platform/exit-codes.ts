/** Exit codes of the platform commands (submit, status, leaderboard, login); README.md and --help list them. */
export const EXIT = {
  ok: 0,
  /** The platform could not be reached, or answered with a server error. */
  failed: 1,
  /** Bad arguments. */
  usage: 2,
  /** No token, or the platform refused it (unknown, revoked, or without the needed scope). */
  auth: 3,
  /** The platform refused the request: not found, a field is wrong, quota spent, bundle refused. */
  refused: 4,
  /** The run ended failed or cancelled. */
  runFailed: 5,
  interrupted: 130,
} as const;

export const EXIT_CODES_HELP = `Exit codes: 0 done (a watched run succeeded), 1 the platform could not be reached or failed,
2 bad arguments, 3 no token or the token was refused (unknown, revoked, missing scope),
4 the platform refused the request (not found, invalid field, quota, bundle refused),
5 the run failed or was cancelled, 130 interrupted.`;

/** A failure with the exit code that says what kind it was. */
export class PlatformCliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'PlatformCliError';
  }
}
