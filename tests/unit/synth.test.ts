import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Item } from '../../benchmark/item-schema';
import { isCanonicalLevel } from '../../benchmark/levels';
import { loadReleaseFolder, type LoadedRelease } from '../../benchmark/release';
import {
  BONE_THRESHOLD_XRAY,
  CANAL_THRESHOLD_MRI,
  FIELD_LABELS,
  Prng,
  buildApGeometry,
  buildSagittalGeometry,
  caseGeometry,
  cobbCategory,
  compositionFor,
  fieldSegments,
  generateSynthRelease,
  genantGrade,
  meyerdingGrade,
  randomCase,
  type SagittalGeometry,
} from '../../benchmark/synth';

let work: string;
let release: LoadedRelease;

async function folderHash(dir: string): Promise<string> {
  const hash = createHash('sha256');
  const files = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name))).sort();
  for (const file of files) hash.update(`${file}\n`).update(await readFile(path.join(dir, file)));
  return hash.digest('hex');
}

beforeAll(async () => {
  work = await mkdtemp(path.join(tmpdir(), 'sbh-synth-'));
  await generateSynthRelease({ seed: 7, outDir: path.join(work, 'a') });
  release = await loadReleaseFolder(path.join(work, 'a'));
});
afterAll(() => rm(work, { recursive: true, force: true }));

describe('SpineBench-Synth release', () => {
  it('is byte-identical for the same seed and differs for another seed', async () => {
    await generateSynthRelease({ seed: 7, outDir: path.join(work, 'b') });
    await generateSynthRelease({ seed: 8, outDir: path.join(work, 'c') });
    const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((d) => folderHash(path.join(work, d))));
    expect(b).toBe(a);
    expect(c).not.toBe(a);
  });

  it('a hidden seed changes the test split only; dev-only generation writes no hidden item', async () => {
    await generateSynthRelease({ seed: 7, hiddenSeed: 12345, outDir: path.join(work, 'secret'), scale: 10 });
    await generateSynthRelease({ seed: 7, outDir: path.join(work, 'public'), scale: 10 });
    await generateSynthRelease({ seed: 7, outDir: path.join(work, 'dev-only'), devOnly: true });
    const [secret, open, devOnly] = await Promise.all(['secret', 'public', 'dev-only'].map((d) => loadReleaseFolder(path.join(work, d))));
    const questions = (r: typeof release, split: string) => r.items.filter((i) => i.split === split).map((i) => (i.task === 'mcq' ? i.question : i.caseHistory));
    expect(questions(secret, 'dev')).toEqual(questions(open, 'dev'));
    expect(questions(secret, 'test')).not.toEqual(questions(open, 'test'));
    expect(questions(devOnly, 'dev')).toEqual(questions(open, 'dev'));
    // Another release than the public one: an installation that published the public demo can import it beside.
    expect(secret.manifest.version).toBe('1.0.0-seed7-scale10-private');
    expect(open.manifest.version).toBe('1.0.0-seed7-scale10');
    expect(devOnly.items.filter((i) => i.split === 'test')).toEqual([]);
  });

  it('passes the release validator and has the paper composition', () => {
    const count = (split: string, pick: (i: Item) => boolean) => release.items.filter((i) => i.split === split && pick(i)).length;
    expect(count('test', (i) => i.task === 'mcq' && i.inputKind === 'text')).toBe(294);
    expect(count('test', (i) => i.task === 'mcq' && i.inputKind === 'image')).toBe(193);
    expect(count('test', (i) => i.task === 'report')).toBe(87);
    expect(release.counts.dev).toBe(60);
    for (const kind of [(i: Item) => i.inputKind === 'text', (i: Item) => i.task === 'mcq' && i.inputKind === 'image', (i: Item) => i.task === 'report']) {
      expect(count('dev', kind)).toBeGreaterThan(5);
    }
    expect(release.manifest).toMatchObject({ name: 'SpineBench-Synth', version: '1.0.0-seed7', synthetic: true });
  });

  it('says plainly that every item is synthetic, and mixes skills, modalities, languages and pathologies', () => {
    for (const item of release.items) expect(item.provenance).toMatchObject({ source: 'SpineBench-Synth', synthetic: true });
    const set = (f: (i: Item) => string) => new Set(release.items.map(f));
    expect(set((i) => i.skill)).toEqual(new Set(['level_identification', 'pathology_assessment', 'surgical_planning', 'grading', 'clinical_knowledge', 'report_generation']));
    expect(set((i) => i.language)).toEqual(new Set(['en', 'zh']));
    const views = new Set(release.items.flatMap((i) => i.images.map((im) => `${im.modality}:${im.view}`)));
    expect(views).toEqual(new Set(['xray:lateral', 'xray:ap', 'ct:sagittal', 'mri:sagittal_t2']));
    expect(set((i) => i.pathology)).toEqual(new Set(['spondylolisthesis', 'compression_fracture', 'disc_herniation', 'canal_stenosis', 'scoliosis', 'normal']));
    expect(release.items.filter((i) => i.images.length > 1).length).toBeGreaterThan(10);
    for (const item of release.items) for (const level of item.levels) expect(isCanonicalLevel(level)).toBe(true);
    for (const item of release.items.filter((i) => i.task === 'report')) {
      if (item.task !== 'report') continue;
      expect(Object.values(item.referenceReport).every((s) => s.length > 10)).toBe(true);
      if (item.pathology !== 'normal') expect(item.keyFindings[0].levels).toEqual(item.levels);
    }
  });

  it('writes valid 8-bit PNG images', async () => {
    expect(release.images.size).toBeGreaterThan(150);
    for (const image of [...release.images.values()].slice(0, 40)) {
      const png = PNG.sync.read(await readFile(image.absolutePath));
      expect([png.width, png.height]).toEqual(expect.arrayContaining([256]));
      expect(image.mediaType).toBe('image/png');
    }
  });

  it('scales to K test items with the paper proportions, reusing a small image pool', async () => {
    expect(compositionFor(100_000).test).toEqual({ text: 51220, image: 33624, report: 15156 });
    const { manifest } = await generateSynthRelease({ seed: 3, outDir: path.join(work, 'scaled'), scale: 1500 });
    expect(manifest.splits.test.items).toBe(1500);
    const scaled = await loadReleaseFolder(path.join(work, 'scaled'));
    expect(new Set(scaled.items.map((i) => i.id)).size).toBe(1560);
    expect(scaled.images.size).toBeLessThan(120);
  });

  it('refuses to write into a non-empty folder unless asked to overwrite', async () => {
    await expect(generateSynthRelease({ seed: 7, outDir: path.join(work, 'a') })).rejects.toThrow(/is not empty/);
  });
});

/** Reads the PNG as a grey matrix. */
async function greyPixels(file: string): Promise<{ width: number; at: (x: number, y: number) => number }> {
  const png = PNG.sync.read(await readFile(file));
  return { width: png.width, at: (x, y) => png.data[(Math.round(y) * png.width + Math.round(x)) * 4] };
}

/** Where each labelled piece of a normal spine of this field sits (pathology does not move rows). */
function normalLayout(field: 'cervical' | 'lumbar'): SagittalGeometry {
  return buildSagittalGeometry(field, { pathology: 'normal' });
}

function fieldOf(levels: string[]): 'cervical' | 'lumbar' {
  return levels[0].startsWith('C') ? 'cervical' : 'lumbar';
}

const argMax = (values: number[]) => values.indexOf(Math.max(...values));
const argMin = (values: number[]) => values.indexOf(Math.min(...values));

describe('the drawn pathology is at the stated level (pixels read back from the release PNGs)', () => {
  const imageItems = () => release.items.filter((i) => i.inputKind === 'image');

  it('spondylolisthesis: the largest anterior step between neighbouring bodies is at the stated segment', async () => {
    let checked = 0;
    for (const item of imageItems().filter((i) => i.pathology === 'spondylolisthesis')) {
      for (const image of item.images.filter((im) => im.modality !== 'mri')) {
        const layout = normalLayout(fieldOf(item.levels));
        const pixels = await greyPixels(release.images.get(image.file)!.absolutePath);
        const anteriorEdge = (y: number) => {
          for (let x = 0; x < pixels.width; x++) if (pixels.at(x, y) > BONE_THRESHOLD_XRAY) return x;
          return Number.NaN;
        };
        const rows = layout.bodies.map((b) => (b.quad[0].y + b.quad[3].y) / 2);
        if (layout.sacrum) rows.push(layout.sacrum[0].y + 2);
        const edges = rows.map(anteriorEdge);
        const steps = edges.slice(1).map((lower, i) => lower - edges[i]);
        const segments = fieldSegments(layout.field);
        expect(segments[argMax(steps)], `${item.id} ${image.file}`).toBe(item.levels[0]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(5);
  });

  it('compression fracture: the body with the lowest anterior/posterior height ratio is the stated vertebra', async () => {
    let checked = 0;
    for (const item of imageItems().filter((i) => i.pathology === 'compression_fracture')) {
      for (const image of item.images) {
        const layout = normalLayout('lumbar');
        const pixels = await greyPixels(release.images.get(image.file)!.absolutePath);
        const boneRows = (x: number, y0: number, y1: number) => {
          let n = 0;
          for (let y = Math.floor(y0) - 2; y <= Math.ceil(y1) + 2; y++) if (pixels.at(x, y) > BONE_THRESHOLD_XRAY) n++;
          return n;
        };
        const ratios = layout.bodies.map(({ quad: [as, ps, pi, ai] }) => boneRows(as.x + 4, as.y, ai.y) / boneRows(ps.x - 4, ps.y, pi.y));
        expect(layout.bodies[argMin(ratios)].label, `${item.id} ${image.file}`).toBe(item.levels[0]);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(5);
  });

  it('herniation and stenosis: the canal is narrowest at the stated segment on T2 MRI', async () => {
    let checked = 0;
    for (const item of imageItems().filter((i) => i.pathology === 'disc_herniation' || i.pathology === 'canal_stenosis')) {
      for (const image of item.images.filter((im) => im.modality === 'mri')) {
        const layout = normalLayout(fieldOf(item.levels));
        const pixels = await greyPixels(release.images.get(image.file)!.absolutePath);
        const widths = layout.discs.map(({ quad: [, upper, lower] }) => {
          const y = (upper.y + lower.y) / 2;
          let n = 0;
          for (let x = Math.max(upper.x, lower.x) + 1; x <= Math.max(upper.x, lower.x) + layout.canalWidth + 2; x++) if (pixels.at(x, y) > CANAL_THRESHOLD_MRI) n++;
          return n;
        });
        const narrowest = argMin(widths);
        expect(layout.discs[narrowest].segment, `${item.id} ${image.file} ${widths}`).toBe(item.levels[0]);
        const others = widths.filter((_, i) => i !== narrowest).sort((a, b) => a - b);
        expect(widths[narrowest], `${widths}`).toBeLessThanOrEqual(others[Math.floor(others.length / 2)] - 3);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(5);
  });

  it('normal spines: no anterior step between neighbouring bodies', async () => {
    let checked = 0;
    for (const item of imageItems().filter((i) => i.pathology === 'normal')) {
      for (const image of item.images.filter((im) => im.view === 'lateral' || im.modality === 'ct')) {
        const pixels = await greyPixels(release.images.get(image.file)!.absolutePath);
        const field = item.region === 'cervical' ? 'cervical' : 'lumbar';
        const layout = normalLayout(field);
        const edges = layout.bodies.map((b) => {
          const y = (b.quad[0].y + b.quad[3].y) / 2;
          for (let x = 0; x < pixels.width; x++) if (pixels.at(x, y) > BONE_THRESHOLD_XRAY) return x;
          return Number.NaN;
        });
        const steps = edges.slice(1).map((lower, i) => Math.abs(lower - edges[i]));
        expect(Math.max(...steps), `${item.id}`).toBeLessThanOrEqual(1);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(2);
  });
});

describe('geometry model matches the case it was built from', () => {
  const prng = new Prng(99);
  const cases = Array.from({ length: 400 }, (_, i) => randomCase(prng, `g${i}`));

  it('spondylolisthesis: slip at the stated segment equals the stated percentage and grade', () => {
    for (const c of cases) {
      if (c.finding.pathology !== 'spondylolisthesis') continue;
      const g = caseGeometry(c) as SagittalGeometry;
      const anterior = [...g.bodies.map((b) => b.quad[0].x), ...(g.sacrum ? [g.sacrum[0].x] : [])];
      const slips = anterior.slice(1).map((x, i) => ((x - anterior[i]) / g.bodyWidth) * 100);
      const at = fieldSegments(g.field).indexOf(c.finding.segment);
      expect(slips[at]).toBeCloseTo(c.finding.slipPercent, 6);
      expect(meyerdingGrade(slips[at])).toBe(c.finding.meyerdingGrade);
      slips.forEach((s, i) => i !== at && expect(Math.abs(s)).toBeLessThan(1e-9));
    }
  });

  it('compression fracture: anterior height loss at the stated vertebra only, with the stated Genant grade', () => {
    for (const c of cases) {
      if (c.finding.pathology !== 'compression_fracture') continue;
      const g = caseGeometry(c) as SagittalGeometry;
      for (const body of g.bodies) {
        const [as, ps, pi, ai] = body.quad;
        const loss = (1 - (ai.y - as.y) / (pi.y - ps.y)) * 100;
        if (body.label === c.finding.vertebra) {
          expect(loss).toBeCloseTo(c.finding.heightLossPercent, 6);
          expect(genantGrade(loss)).toBe(c.finding.genantGrade);
        } else expect(loss).toBeCloseTo(0, 9);
      }
    }
  });

  it('scoliosis: the Cobb angle between the stated end vertebrae equals the stated angle; apex between them', () => {
    let n = 0;
    for (const c of cases) {
      if (c.finding.pathology !== 'scoliosis') continue;
      n++;
      const g = buildApGeometry(c.finding);
      const tilt = (label: string) => {
        const [sl, sr] = g.bodies.find((b) => b.label === label)!.quad;
        return (Math.atan2(sr.y - sl.y, sr.x - sl.x) * 180) / Math.PI;
      };
      const tilts = FIELD_LABELS.spine_ap.map(tilt);
      expect(Math.abs(tilt(c.finding.upperEnd) - tilt(c.finding.lowerEnd))).toBeCloseTo(c.finding.cobbAngle, 6);
      // The end vertebrae are the most tilted ones.
      expect(Math.max(...tilts.map(Math.abs))).toBeCloseTo(c.finding.cobbAngle / 2, 6);
      expect(cobbCategory(c.finding.cobbAngle)).toMatch(/mild|moderate|severe/);
      // The apex is the vertebra displaced furthest from the line joining the end vertebrae.
      const centre = (label: string) => g.bodies.find((b) => b.label === label)!.center;
      const [u, l] = [centre(c.finding.upperEnd), centre(c.finding.lowerEnd)];
      const offset = (label: string) => Math.abs((l.x - u.x) * (u.y - centre(label).y) - (u.x - centre(label).x) * (l.y - u.y));
      const between = FIELD_LABELS.spine_ap.slice(FIELD_LABELS.spine_ap.indexOf(c.finding.upperEnd), FIELD_LABELS.spine_ap.indexOf(c.finding.lowerEnd) + 1);
      expect(between[argMax(between.map(offset))]).toBe(c.finding.apex);
    }
    expect(n).toBeGreaterThan(10);
  });

  it('herniation and stenosis narrow the canal at the stated segment only', () => {
    for (const c of cases) {
      const f = c.finding;
      if (f.pathology !== 'disc_herniation' && f.pathology !== 'canal_stenosis') continue;
      const g = caseGeometry(c) as SagittalGeometry;
      for (const disc of g.discs) {
        const canalPieces = g.canal.filter((piece) => piece.label === disc.segment);
        const narrowest = Math.min(...canalPieces.flatMap((piece) => [piece.quad[1].x - piece.quad[0].x, piece.quad[2].x - piece.quad[3].x]));
        const effective = narrowest - disc.herniationDepth;
        if (disc.segment === f.segment) expect(effective).toBeCloseTo(g.canalWidth * (1 - f.canalCompromisePercent / 100), 6);
        else expect(effective).toBeCloseTo(g.canalWidth, 6);
      }
    }
  });
});
