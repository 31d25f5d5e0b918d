/**
 * Entry of the `spinebench` CLI (bin/spinebench.js imports this). `runCli` returns the exit code:
 * `eval`: 0 done, 1 the run could not be done, 2 bad arguments, 130 interrupted; the platform commands
 * (submit, status, leaderboard, login) add 3-5 (platform/exit-codes.ts).
 */
import os from 'node:os';
import { parseCliArgs, UsageError, USAGE } from './args';
import { CliFailure } from './open-model';
import { isPlatformCommand, parsePlatformArgs, PLATFORM_USAGE } from './platform/args';
import { runPlatformCommand } from './platform/commands';
import { PlatformCliError } from './platform/exit-codes';
import { runEval, type CliIo } from './run-eval';

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    if (isPlatformCommand(argv)) {
      const platformCommand = parsePlatformArgs(argv, io.env);
      if (platformCommand.command === 'help') {
        io.stdout.write(`${PLATFORM_USAGE}\n`);
        return 0;
      }
      return await runPlatformCommand(platformCommand, io);
    }
    const command = parseCliArgs(argv, { env: io.env, totalMemoryBytes: os.totalmem() });
    if (command.command === 'help') {
      io.stdout.write(`${USAGE}\n\n${PLATFORM_USAGE}\n`);
      return 0;
    }
    return await runEval(command.options, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`spinebench: ${error.message}\nRun "npx spinebench --help" for usage.\n`);
      return error.exitCode;
    }
    if (io.signal?.aborted) {
      io.stderr.write('spinebench: interrupted\n');
      return 130;
    }
    if (error instanceof PlatformCliError) {
      io.stderr.write(`spinebench: ${error.message}\n`);
      return error.exitCode;
    }
    if (error instanceof CliFailure) {
      io.stderr.write(`spinebench: ${error.message}\n`);
      return error.exitCode;
    }
    io.stderr.write(`spinebench: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
    return 1;
  }
}

/** Runs the CLI on this process: argv, stdio, Ctrl-C. */
export async function main(): Promise<void> {
  const controller = new AbortController();
  const onInterrupt = () => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort(new Error('interrupted'));
  };
  process.on('SIGINT', onInterrupt);
  try {
    process.exitCode = await runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env, signal: controller.signal });
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}
