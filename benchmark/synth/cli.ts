/**
 * npm run release:synth -- --seed N --out DIR [--scale K] [--force]
 * (--force replaces a non-empty DIR.)
 * Writes the SpineBench-Synth release (synthetic, deterministic for a seed) into DIR.
 */
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { generateSynthRelease } from './generate';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { seed: { type: 'string', default: '1' }, out: { type: 'string' }, scale: { type: 'string' }, force: { type: 'boolean', default: false } } });
  const seed = Number(values.seed);
  const scale = values.scale === undefined ? undefined : Number(values.scale);
  if (!values.out || !Number.isInteger(seed) || (scale !== undefined && !Number.isInteger(scale))) {
    console.error('usage: npm run release:synth -- --seed N --out DIR [--scale K] [--force]   (N, K integers; K = number of test items)');
    return 2;
  }
  const bar = new cliProgress.SingleBar({ format: 'SpineBench-Synth {bar} {value}/{total} items | {duration}s', hideCursor: true }, cliProgress.Presets.shades_classic);
  let started = false;
  const t0 = Date.now();
  const { dir, manifest } = await generateSynthRelease({
    seed,
    outDir: values.out,
    scale,
    overwrite: values.force,
    onProgress: (done, total) => {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      if (done % 100 === 0 || done === total) bar.update(done);
    },
  });
  bar.stop();
  console.log(
    `Wrote ${manifest.name} ${manifest.version} to ${dir}: ${manifest.splits.dev.items} dev + ${manifest.splits.test.items} test items, ${manifest.contentHash} (${((Date.now() - t0) / 1000).toFixed(1)} s)`,
  );
  return 0;
}

main().then((code) => process.exit(code), (error) => {
  console.error(error);
  process.exit(1);
});
