import path from 'node:path';

/**
 * The SpineBench-Synth release the platform tests share: generated once by the global setup (seed 1,
 * a small hidden split so runs stay quick) and handed to each started platform as DEMO_RELEASE_DIR.
 */
export const DEMO_RELEASE_DIR = path.resolve('test-output/spinebench-synth-demo');
export const DEMO_SCALE = 40;
