import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuild } from './ensure-build';

/** `npm start`'s first step: rebuild the app only when its sources changed, with one line of output. */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const outcome = await ensureBuild(root, (first) =>
  process.stdout.write(first ? 'Building the app (first start)… ' : 'Sources changed: rebuilding the app… '),
);
if (outcome.state === 'built') process.stdout.write(`done in ${outcome.seconds.toFixed(0)} s.\n`);
if (outcome.state === 'failed') {
  process.stdout.write('failed:\n');
  process.stderr.write(outcome.output);
  process.exit(outcome.code);
}
