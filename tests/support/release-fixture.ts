import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PNG } from 'pngjs';
import type { Item } from '../../benchmark/item-schema';
import { writeReleaseFolder } from '../../benchmark/release';

/** A small valid PNG (a grey square with a white bar). */
export function tinyPng(size = 16, shade = 80): Buffer {
  const png = new PNG({ width: size, height: size });
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 4;
      const value = y === Math.floor(size / 2) ? 255 : shade;
      png.data[i] = png.data[i + 1] = png.data[i + 2] = value;
      png.data[i + 3] = 255;
    }
  }
  return PNG.sync.write(png);
}

const provenance = { source: 'test-fixture', synthetic: true };

/** Four items: dev text MCQ, dev image MCQ (level written loosely), test image MCQ, test report. */
export function fixtureItems(): Item[] {
  return [
    {
      id: 'dev-001', split: 'dev', task: 'mcq', inputKind: 'text', language: 'en', question: 'Which level is most often herniated?',
      skill: 'clinical_knowledge', region: 'lumbar', pathology: 'disc_herniation', levels: ['L4-L5'], images: [], provenance,
      options: { A: 'C2-C3', B: 'T6-T7', C: 'L4-L5', D: 'S1' }, answer: 'C',
    },
    {
      id: 'dev-002', split: 'dev', task: 'mcq', inputKind: 'image', language: 'zh', question: '滑脱位于哪个节段？',
      skill: 'level_identification', region: 'lumbar', pathology: 'spondylolisthesis', levels: ['腰4/5'],
      images: [{ file: 'images/a.png', modality: 'xray', view: 'lateral' }], provenance,
      options: { A: 'L3-L4', B: 'L4-L5', C: 'L5-S1', D: 'L2-L3' }, answer: 'B',
    },
    {
      id: 'test-001', split: 'test', task: 'mcq', inputKind: 'image', language: 'en', question: 'Which vertebra is fractured?',
      skill: 'level_identification', region: 'thoracic', pathology: 'compression_fracture', levels: ['T12'],
      images: [{ file: 'images/b.png', modality: 'ct', view: 'sagittal' }, { file: 'images/a.png', modality: 'xray', view: 'lateral' }], provenance,
      options: { A: 'T11', B: 'T12', C: 'L1', D: 'L2', E: 'T10' }, answer: 'B',
    },
    {
      id: 'test-002', split: 'test', task: 'report', inputKind: 'image', language: 'en', question: 'Write the report.',
      skill: 'report_generation', region: 'lumbar', pathology: 'disc_herniation', levels: ['L5/S1'],
      images: [{ file: 'images/b.png', modality: 'mri', view: 'sagittal_t2' }], provenance,
      caseHistory: 'A 45-year-old with sciatica.',
      referenceReport: {
        structuredFindings: 'Disc herniation at L5-S1.', diagnosis: 'L5-S1 herniation.', treatmentAdvice: 'Physiotherapy.',
        riskPrognosis: 'Good.', postoperativeManagement: 'Not applicable.', diagnosticBasis: 'MRI.',
      },
      keyFindings: [{ finding: 'disc herniation', levels: ['L5-S1'] }],
    },
  ] as Item[];
}

export const fixtureInfo = {
  name: 'fixture',
  version: '1.0.0',
  licence: 'CC0-1.0',
  description: 'Test fixture release',
  created: '2026-01-01',
  synthetic: true,
};

/** Writes the valid fixture release into `dir` and returns its manifest. */
export async function writeFixtureRelease(dir: string, items: Item[] = fixtureItems()) {
  return writeReleaseFolder(dir, {
    info: fixtureInfo,
    items,
    images: [
      ['images/a.png', tinyPng(16, 80)],
      ['images/b.png', tinyPng(20, 120)],
    ],
  });
}

/** Overwrites items.jsonl with raw lines (no manifest update). */
export async function writeRawItems(dir: string, lines: string[]): Promise<void> {
  await writeFile(path.join(dir, 'items.jsonl'), lines.join('\n') + '\n');
}

/** A ustar archive built by hand, so tests can hold entries real tools refuse to write. */
export function rawTar(entries: { name: string; type?: '0' | '2' | '5'; linkname?: string; data?: Buffer }[]): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const data = entry.data ?? Buffer.alloc(0);
    const header = Buffer.alloc(512);
    header.write(entry.name, 0, 100, 'utf8');
    header.write('0000644\0', 100);
    header.write('0000000\0', 108);
    header.write('0000000\0', 116);
    header.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
    header.write('00000000000\0', 136);
    header.write('        ', 148);
    header.write(entry.type ?? '0', 156);
    if (entry.linkname) header.write(entry.linkname, 157, 100);
    header.write('ustar\0', 257);
    header.write('00', 263);
    let sum = 0;
    for (const byte of header) sum += byte;
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    blocks.push(header, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

export async function ensureDir(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  return dir;
}
