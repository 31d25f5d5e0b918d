/**
 * The geometry model of a synthetic spine image: vertebral bodies, discs, canal, posterior elements as
 * polygons in pixel coordinates. The renderer only draws these shapes, and tests measure them (and the
 * pixels) to check that the stated pathology is at the stated level.
 */
import { segmentVertebrae } from '../level-vocabulary';
import type { Finding, SynthField } from './findings';

export interface Point {
  x: number;
  y: number;
}

/**
 * Sagittal corners: [anterior-superior, posterior-superior, posterior-inferior, anterior-inferior]
 * (anterior is to the left). AP corners: [superior-left, superior-right, inferior-right, inferior-left].
 */
export type Quad = [Point, Point, Point, Point];

export interface BodyShape {
  label: string;
  quad: Quad;
}

export interface DiscShape {
  segment: string;
  quad: Quad;
  /** Posterior protrusion into the canal (herniation), px; 0 when none. */
  herniationDepth: number;
  degenerated: boolean;
}

export interface CanalShape {
  /** Vertebra or segment label this piece of canal lies behind. */
  label: string;
  quad: Quad;
}

export interface SagittalGeometry {
  kind: 'sagittal';
  field: 'cervical' | 'lumbar';
  width: number;
  height: number;
  bodyWidth: number;
  /** Normal canal width, px. */
  canalWidth: number;
  bodies: BodyShape[];
  sacrum: Quad | null;
  /** C2's dens, cervical only. */
  dens: Quad | null;
  discs: DiscShape[];
  canal: CanalShape[];
  posteriorElements: { label: string; quad: Quad }[];
}

export interface ApGeometry {
  kind: 'ap';
  field: 'spine_ap';
  width: number;
  height: number;
  bodies: (BodyShape & { tiltDegrees: number; center: Point; width: number; height: number })[];
  discs: { segment: string; quad: Quad }[];
  sacrum: Quad;
  ribs: { label: string; side: 'left' | 'right'; polygon: Point[] }[];
}

export type SpineGeometry = SagittalGeometry | ApGeometry;

export const FIELD_LABELS: Record<SynthField, readonly string[]> = {
  cervical: ['C2', 'C3', 'C4', 'C5', 'C6', 'C7', 'T1'],
  lumbar: ['T10', 'T11', 'T12', 'L1', 'L2', 'L3', 'L4', 'L5'],
  spine_ap: ['T1', 'T2', 'T3', 'T4', 'T5', 'T6', 'T7', 'T8', 'T9', 'T10', 'T11', 'T12', 'L1', 'L2', 'L3', 'L4', 'L5'],
};

/** Segments visible in a sagittal field (the lumbar field ends with L5-S1). */
export function fieldSegments(field: 'cervical' | 'lumbar'): string[] {
  const labels = FIELD_LABELS[field];
  const segments = labels.slice(0, -1).map((label, i) => `${label}-${labels[i + 1]}`);
  return field === 'lumbar' ? [...segments, 'L5-S1'] : segments;
}

const p = (x: number, y: number): Point => ({ x, y });

/** Lateral radiograph, sagittal CT or sagittal MRI of the cervical or lumbar (T10–S1) spine. */
export function buildSagittalGeometry(field: 'cervical' | 'lumbar', finding: Finding, size = { width: 256, height: 384 }): SagittalGeometry {
  const labels = FIELD_LABELS[field];
  const cervical = field === 'cervical';
  const top = cervical ? 58 : 20;
  const bottomUnits = cervical ? 0.3 : 1.6;
  const pitch = (size.height - top - 18) / (labels.length + bottomUnits);
  const bodyHeight = pitch * (cervical ? 0.68 : 0.72);
  const bodyWidth = cervical ? 34 : 46;
  const canalWidth = cervical ? 15 : 17;
  const anteriorX = cervical ? 96 : 84;

  const slip = finding.pathology === 'spondylolisthesis' ? finding : null;
  const slipUpper = slip ? segmentVertebrae(slip.segment)[0] : null;
  const slipShift = slip ? (slip.slipPercent / 100) * bodyWidth : 0;
  const slipIndex = slipUpper ? labels.indexOf(slipUpper) : -1;

  const bodies: BodyShape[] = labels.map((label, i) => {
    const y0 = top + i * pitch;
    const x0 = anteriorX - (i <= slipIndex ? slipShift : 0);
    const quad: Quad = [p(x0, y0), p(x0 + bodyWidth, y0), p(x0 + bodyWidth, y0 + bodyHeight), p(x0, y0 + bodyHeight)];
    if (finding.pathology === 'compression_fracture' && finding.vertebra === label) {
      // Anterior wedge: the superior endplate collapses at the front.
      quad[0] = p(x0, y0 + (finding.heightLossPercent / 100) * bodyHeight);
    }
    return { label, quad };
  });

  const sacrumTop = top + labels.length * pitch;
  const sacrum: Quad | null = cervical
    ? null
    : // S1's superior endplate lines up with L5 (no step unless there is a slip); the sacrum slopes backwards.
      [p(anteriorX, sacrumTop), p(anteriorX + bodyWidth, sacrumTop), p(anteriorX + bodyWidth + 20, sacrumTop + pitch * 1.5), p(anteriorX + 30, sacrumTop + pitch * 1.5)];
  const dens: Quad | null = cervical
    ? [p(anteriorX + 10, top - pitch * 0.75), p(anteriorX + bodyWidth - 8, top - pitch * 0.75), p(anteriorX + bodyWidth - 6, top + 1), p(anteriorX + 8, top + 1)]
    : null;

  const segmentNames = fieldSegments(field);
  const stenosis = finding.pathology === 'canal_stenosis' ? finding : null;
  const herniation = finding.pathology === 'disc_herniation' ? finding : null;
  const discs: DiscShape[] = segmentNames.map((segment, i) => {
    const upper = bodies[i].quad;
    const lowerTop: [Point, Point] = i + 1 < bodies.length ? [bodies[i + 1].quad[0], bodies[i + 1].quad[1]] : [sacrum![0], sacrum![1]];
    const isHerniation = herniation?.segment === segment;
    return {
      segment,
      quad: [upper[3], upper[2], lowerTop[1], lowerTop[0]],
      herniationDepth: isHerniation ? (herniation!.canalCompromisePercent / 100) * canalWidth : 0,
      degenerated: isHerniation || stenosis?.segment === segment,
    };
  });

  const canal: CanalShape[] = [];
  const behind = (label: string, xTop: number, yTop: number, xBottom: number, yBottom: number, widthTop: number, widthBottom: number) =>
    canal.push({ label, quad: [p(xTop + 1, yTop), p(xTop + 1 + widthTop, yTop), p(xBottom + 1 + widthBottom, yBottom), p(xBottom + 1, yBottom)] });
  const stenosisFactor = stenosis ? 1 - stenosis.canalCompromisePercent / 100 : 1;
  bodies.forEach((body, i) => {
    const [, ps, pi] = body.quad;
    const segmentAbove = i > 0 ? segmentNames[i - 1] : null;
    const segmentBelow = segmentNames[i] ?? null;
    // Stenosis narrows the canal at the disc and tapers into the neighbouring vertebrae (hourglass).
    const taper = (segment: string | null) => (stenosis && segment === stenosis.segment ? (1 + stenosisFactor) / 2 : 1);
    behind(body.label, ps.x, ps.y, pi.x, pi.y, canalWidth * taper(segmentAbove), canalWidth * taper(segmentBelow));
  });
  discs.forEach((disc) => {
    const [, upperPosterior, lowerPosterior] = disc.quad;
    const factor = stenosis?.segment === disc.segment ? stenosisFactor : 1;
    const wTop = canalWidth * (factor === 1 ? 1 : (1 + factor) / 2);
    const xTop = upperPosterior.x;
    const xBottom = lowerPosterior.x;
    const yTop = upperPosterior.y;
    const yBottom = lowerPosterior.y;
    const yMid = (yTop + yBottom) / 2;
    if (factor === 1) {
      behind(disc.segment, xTop, yTop, xBottom, yBottom, canalWidth, canalWidth);
    } else {
      // Two pieces meeting at the narrowest point in the middle of the disc.
      const xMid = (xTop + xBottom) / 2;
      behind(disc.segment, xTop, yTop, xMid, yMid, wTop, canalWidth * factor);
      behind(disc.segment, xMid, yMid, xBottom, yBottom, canalWidth * factor, wTop);
    }
  });

  const posteriorElements = bodies.map((body) => {
    const [, ps, pi] = body.quad;
    const x0 = Math.max(ps.x, pi.x) + canalWidth + 2;
    const h = pi.y - ps.y;
    const reach = cervical ? (body.label === 'C7' || body.label === 'T1' ? 44 : 30) : 40;
    return {
      label: body.label,
      quad: [p(x0, ps.y + h * 0.1), p(x0 + reach * 0.6, ps.y + h * 0.25), p(x0 + reach, pi.y + h * 0.35), p(x0, pi.y - h * 0.05)] as Quad,
    };
  });

  return { kind: 'sagittal', field, width: size.width, height: size.height, bodyWidth, canalWidth, bodies, sacrum, dens, discs, canal, posteriorElements };
}

/** Tilt of each vertebra (degrees) for a scoliotic curve; Cobb angle = tilt(upper end) − tilt(lower end). */
export function scoliosisTilts(labels: readonly string[], finding: Finding): number[] {
  if (finding.pathology !== 'scoliosis') return labels.map(() => 0);
  const u = labels.indexOf(finding.upperEnd);
  const l = labels.indexOf(finding.lowerEnd);
  const half = (finding.cobbAngle / 2) * (finding.convexity === 'right' ? 1 : -1);
  return labels.map((_, i) => {
    if (i >= u && i <= l) return half * Math.cos((Math.PI * (i - u)) / (l - u));
    // Beyond the end vertebrae the tilt fades out over three levels.
    const beyond = i < u ? u - i : i - l;
    const edge = i < u ? half : -half;
    return edge * Math.max(0, 1 - beyond / 3);
  });
}

function rotate(center: Point, dx: number, dy: number, degrees: number): Point {
  const r = (degrees * Math.PI) / 180;
  return p(center.x + dx * Math.cos(r) - dy * Math.sin(r), center.y + dx * Math.sin(r) + dy * Math.cos(r));
}

/** Frontal (AP) radiograph T1–sacrum, with ribs; scoliosis bends and tilts the vertebrae. */
export function buildApGeometry(finding: Finding, size = { width: 256, height: 512 }): ApGeometry {
  const labels = FIELD_LABELS.spine_ap;
  const tilts = scoliosisTilts(labels, finding);
  const pitch = (size.height - 40) / (labels.length + 1.6);
  const centers: Point[] = [];
  let x = 0;
  let y = 24 + pitch / 2;
  for (let i = 0; i < labels.length; i++) {
    if (i > 0) {
      const axis = (((tilts[i - 1] + tilts[i]) / 2) * Math.PI) / 180;
      x -= pitch * Math.sin(axis);
      y += pitch * Math.cos(axis);
    }
    centers.push(p(x, y));
  }
  const meanX = centers.reduce((sum, c) => sum + c.x, 0) / centers.length;
  for (const c of centers) c.x += size.width / 2 - meanX;

  const bodies = labels.map((label, i) => {
    const width = label.startsWith('L') ? 40 : 26 + i * 0.9;
    const height = pitch * 0.7;
    const center = centers[i];
    const t = tilts[i];
    const quad: Quad = [rotate(center, -width / 2, -height / 2, t), rotate(center, width / 2, -height / 2, t), rotate(center, width / 2, height / 2, t), rotate(center, -width / 2, height / 2, t)];
    return { label, quad, tiltDegrees: t, center, width, height };
  });
  const discs = bodies.slice(0, -1).map((body, i) => ({
    segment: `${body.label}-${bodies[i + 1].label}`,
    quad: [body.quad[3], body.quad[2], bodies[i + 1].quad[1], bodies[i + 1].quad[0]] as Quad,
  }));
  const l5 = bodies[bodies.length - 1];
  const sTop = l5.center.y + pitch * 0.6;
  const sx = l5.center.x;
  const sacrum: Quad = [p(sx - 36, sTop), p(sx + 36, sTop), p(sx + 10, sTop + pitch * 1.5), p(sx - 10, sTop + pitch * 1.5)];
  const ribs: ApGeometry['ribs'] = [];
  bodies.slice(0, 12).forEach((body, i) => {
    for (const side of ['left', 'right'] as const) {
      const s = side === 'left' ? -1 : 1;
      const start = rotate(body.center, (s * body.width) / 2, 0, body.tiltDegrees);
      const span = 40 + Math.min(i, 6) * 9 - Math.max(0, i - 8) * 12;
      const drop = 10 + i * 1.5;
      const polygon = [
        start,
        p(start.x + s * span * 0.5, start.y - 4),
        p(start.x + s * span, start.y + drop),
        p(start.x + s * span, start.y + drop + 4),
        p(start.x + s * span * 0.5, start.y),
        p(start.x, start.y + 4),
      ];
      ribs.push({ label: body.label, side, polygon });
    }
  });
  return { kind: 'ap', field: 'spine_ap', width: size.width, height: size.height, bodies, discs, sacrum, ribs };
}

/** Geometry for a case: AP for scoliosis, sagittal otherwise. */
export function buildGeometry(field: SynthField, finding: Finding): SpineGeometry {
  return field === 'spine_ap' ? buildApGeometry(finding) : buildSagittalGeometry(field, finding);
}
