import type { Modality } from '../item-schema';
import type { ApGeometry, Point, Quad, SagittalGeometry, SpineGeometry } from './geometry';
import type { Prng } from './prng';
import { GreyCanvas, insetPolygon } from './raster';

/** Grey levels of each tissue per modality (what makes an X-ray look unlike a T2 MRI). */
interface Palette {
  background: number;
  softTissue: number;
  cortex: number;
  marrow: number;
  annulus: number;
  nucleus: number;
  degeneratedNucleus: number;
  csf: number;
  cord: number;
  herniation: number;
  posterior: number;
  rib: number;
}

const PALETTES: Record<Modality, Palette> = {
  xray: { background: 18, softTissue: 62, cortex: 222, marrow: 196, annulus: 84, nucleus: 84, degeneratedNucleus: 76, csf: 62, cord: 62, herniation: 84, posterior: 170, rib: 150 },
  ct: { background: 4, softTissue: 92, cortex: 248, marrow: 172, annulus: 108, nucleus: 104, degeneratedNucleus: 112, csf: 58, cord: 64, herniation: 112, posterior: 214, rib: 200 },
  mri: { background: 4, softTissue: 88, cortex: 52, marrow: 118, annulus: 74, nucleus: 222, degeneratedNucleus: 92, csf: 244, cord: 150, herniation: 46, posterior: 80, rib: 60 },
};

/** Thresholds tests use to read shapes back from the pixels. */
export const BONE_THRESHOLD_XRAY = 150;
/** On T2 MRI, canal contents (CSF 244, cord 150) are above this; disc rim, herniation, soft tissue and posterior elements below. */
export const CANAL_THRESHOLD_MRI = 110;

function drawSagittal(canvas: GreyCanvas, g: SagittalGeometry, palette: Palette, modality: Modality): void {
  // Body outline: neck or trunk.
  const trunk = g.field === 'cervical' ? { x0: 40, x1: 230 } : { x0: 14, x1: 246 };
  canvas.fillPolygon(
    [{ x: trunk.x0, y: 0 }, { x: trunk.x1, y: 0 }, { x: trunk.x1 - 6, y: g.height }, { x: trunk.x0 + 10, y: g.height }],
    palette.softTissue,
  );
  for (const piece of g.canal) canvas.fillPolygon(piece.quad, palette.csf);
  if (modality !== 'xray') {
    // Cord: the whole cervical canal; in the lumbar field it ends at L1 (conus).
    for (const piece of g.canal) {
      if (g.field === 'lumbar' && !/^T1[0-2]|^T1[0-2]-|^T12-L1|^L1$/.test(piece.label)) continue;
      const [a, b, c, d] = piece.quad;
      const inset = (q: Point, r: Point, f: number) => ({ x: q.x + (r.x - q.x) * f, y: q.y + (r.y - q.y) * f });
      canvas.fillPolygon([inset(a, b, 0.3), inset(a, b, 0.72), inset(d, c, 0.72), inset(d, c, 0.3)], palette.cord);
    }
  }
  for (const disc of g.discs) {
    canvas.fillPolygon(disc.quad, palette.annulus);
    canvas.fillPolygon(insetPolygon(disc.quad, 2), disc.degenerated ? palette.degeneratedNucleus : palette.nucleus);
    if (disc.herniationDepth > 0) {
      const [, upper, lower] = disc.quad;
      const midY = (upper.y + lower.y) / 2;
      const x = Math.max(upper.x, lower.x);
      const half = (lower.y - upper.y) * 0.75 + 2;
      canvas.fillPolygon(
        [{ x: x - 1, y: midY - half }, { x: x + disc.herniationDepth * 0.7, y: midY - half * 0.6 }, { x: x + disc.herniationDepth, y: midY }, { x: x + disc.herniationDepth * 0.7, y: midY + half * 0.6 }, { x: x - 1, y: midY + half }],
        palette.herniation,
      );
    }
  }
  for (const element of g.posteriorElements) canvas.fillPolygon(element.quad, palette.posterior);
  const bone = (quad: readonly Point[]) => {
    canvas.fillPolygon(quad, palette.cortex);
    canvas.fillPolygon(insetPolygon(quad, 2), palette.marrow);
  };
  if (g.dens) {
    bone(g.dens);
    // C1 anterior arch in front of the dens.
    canvas.fillEllipse({ x: g.dens[0].x - 14, y: (g.dens[0].y + g.dens[3].y) / 2 }, 6, 8, palette.cortex);
  }
  for (const body of g.bodies) bone(body.quad);
  if (g.sacrum) bone(g.sacrum);
}

function drawAp(canvas: GreyCanvas, g: ApGeometry, palette: Palette): void {
  canvas.fillPolygon([{ x: 8, y: 0 }, { x: g.width - 8, y: 0 }, { x: g.width - 2, y: g.height }, { x: 2, y: g.height }], palette.softTissue);
  // Lungs: darker fields either side of the thoracic spine.
  const t6 = g.bodies[5].center;
  for (const s of [-1, 1]) canvas.fillEllipse({ x: g.width / 2 + s * 62, y: t6.y }, 44, 150, palette.softTissue * 0.55);
  for (const rib of g.ribs) canvas.fillPolygon(rib.polygon, palette.rib);
  for (const disc of g.discs) canvas.fillPolygon(disc.quad, palette.annulus);
  // Iliac wings.
  const s = g.sacrum;
  for (const side of [-1, 1]) {
    const x = (s[0].x + s[1].x) / 2 + side * 40;
    canvas.fillPolygon([{ x, y: s[0].y - 6 }, { x: x + side * 70, y: s[0].y - 30 }, { x: x + side * 80, y: s[0].y + 10 }, { x: x + side * 10, y: s[2].y }], palette.posterior * 0.8);
  }
  for (const body of [...g.bodies.map((b) => b.quad), s] as Quad[]) {
    canvas.fillPolygon(body, palette.cortex);
    canvas.fillPolygon(insetPolygon(body, 2), palette.marrow);
  }
  // Pedicles: two bright ovals per vertebra.
  for (const body of g.bodies) {
    const r = (body.tiltDegrees * Math.PI) / 180;
    for (const side of [-1, 1]) {
      const dx = side * body.width * 0.3;
      const dy = -body.height * 0.15;
      canvas.fillEllipse({ x: body.center.x + dx * Math.cos(r) - dy * Math.sin(r), y: body.center.y + dx * Math.sin(r) + dy * Math.cos(r) }, 3, 4, palette.cortex);
    }
  }
}

/** Renders a geometry as an 8-bit greyscale PNG in the look of the modality. Deterministic for a PRNG state. */
export function renderSpineImage(geometry: SpineGeometry, modality: Modality, prng: Prng): Buffer {
  const palette = PALETTES[modality];
  const canvas = new GreyCanvas(geometry.width, geometry.height, palette.background);
  if (geometry.kind === 'sagittal') drawSagittal(canvas, geometry, palette, modality);
  else drawAp(canvas, geometry, palette);
  canvas.blur();
  canvas.addNoise(prng, modality === 'mri' ? 4 : 3);
  return canvas.toPng();
}
