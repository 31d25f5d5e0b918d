/**
 * Child process entry of validateBundleIsolated: validates one bundle folder and sends the report back.
 * Parsing a team's JSON and protobuf files happens here, so a hostile file can only exhaust this
 * process (which has its own heap limit), never the web server.
 */
import { validateBundle, type ValidateBundleOptions } from './validate-bundle';

process.once('message', (message: { dir: string; options: ValidateBundleOptions }) => {
  validateBundle(message.dir, message.options).then(
    (report) => process.send!({ ok: true, report }, () => process.exit(0)),
    (e: unknown) => process.send!({ ok: false, error: e instanceof Error ? e.name : 'Error' }, () => process.exit(1)),
  );
});
