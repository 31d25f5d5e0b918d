import { PNG } from 'pngjs';
import type { McqItem, Split } from './item-schema';

/**
 * A tiny built-in demo release for the walking skeleton: lumbar level-identification MCQs, some with a
 * drawn lateral radiograph. Deterministic. Clearly synthetic. Replaced by SpineBench-Synth.
 */
export interface DemoRelease {
  manifest: { name: string; version: string; licence: string; description: string };
  items: McqItem[];
  images: Map<string, Uint8Array>;
}

const LUMBAR = ['L1', 'L2', 'L3', 'L4', 'L5'] as const;
const LETTERS = ['A', 'B', 'C', 'D', 'E'] as const;

/** Lateral lumbar radiograph: five grey vertebral bodies, the one at `slipIndex` shifted forward. */
export function drawLumbarLateral(slipIndex: number): Uint8Array {
  const png = new PNG({ width: 64, height: 128 });
  png.data.fill(0);
  for (let i = 0; i < png.data.length; i += 4) png.data[i + 3] = 255;
  LUMBAR.forEach((_, v) => {
    const top = 8 + v * 23;
    const shift = v === slipIndex ? 10 : 0;
    for (let y = top; y < top + 17; y++) {
      for (let x = 18 + shift; x < 46 + shift; x++) {
        const o = (y * 64 + x) * 4;
        png.data[o] = png.data[o + 1] = png.data[o + 2] = 200;
      }
    }
  });
  return new Uint8Array(PNG.sync.write(png));
}

function makeItem(split: Split, n: number): McqItem {
  const target = n % 5;
  const withImage = n % 3 === 0;
  const rotation = (n * 2) % 5; // spread correct answers across letters
  const options = Object.fromEntries(LETTERS.map((l, i) => [l, LUMBAR[(i + rotation) % 5]])) as McqItem['options'];
  const answer = LETTERS[(target - rotation + 5) % 5];
  const id = `demo-${split}-${String(n).padStart(3, '0')}`;
  const question = withImage
    ? `[Synthetic demo ${id}] On this synthetic lateral lumbar radiograph, which vertebra has slipped forward?`
    : `[Synthetic demo ${id}] A synthetic patient has an isthmic spondylolisthesis of vertebra ${LUMBAR[target]} over the one below. Which level is named?`;
  return {
    id,
    split,
    task: 'mcq',
    inputKind: withImage ? 'image' : 'text',
    language: 'en',
    question,
    options,
    answer,
    skill: 'level_identification',
    region: 'lumbar',
    pathology: 'spondylolisthesis',
    levels: [LUMBAR[target]],
    images: withImage ? [{ file: `images/${id}.png`, modality: 'xray', view: 'lateral' }] : [],
    provenance: { source: 'SpineBench demo (synthetic)', id, synthetic: true },
  };
}

export function buildDemoRelease(): DemoRelease {
  const items = [
    ...Array.from({ length: 12 }, (_, n) => makeItem('dev', n)),
    ...Array.from({ length: 24 }, (_, n) => makeItem('test', n)),
  ];
  const images = new Map<string, Uint8Array>();
  for (const item of items) {
    for (const img of item.images) images.set(img.file, drawLumbarLateral(LUMBAR.indexOf(item.levels[0] as never)));
  }
  return {
    manifest: {
      name: 'spinebench-demo',
      version: '0.1.0',
      licence: 'CC-BY-4.0',
      description: 'Synthetic demo items for the walking skeleton. Not clinical data.',
    },
    items,
    images,
  };
}
