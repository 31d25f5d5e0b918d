import { PNG } from 'pngjs';
import type { Point } from './geometry';
import type { Prng } from './prng';

/** A greyscale canvas (0–255 floats) with the few drawing operations the spine renderer needs. */
export class GreyCanvas {
  readonly pixels: Float32Array;
  constructor(
    readonly width: number,
    readonly height: number,
    background = 0,
  ) {
    this.pixels = new Float32Array(width * height).fill(background);
  }

  /** Fills a polygon (even-odd rule, pixel centres) with a value. */
  fillPolygon(points: readonly Point[], value: number): void {
    const minY = Math.max(0, Math.floor(Math.min(...points.map((q) => q.y))));
    const maxY = Math.min(this.height - 1, Math.ceil(Math.max(...points.map((q) => q.y))));
    const crossings: number[] = [];
    for (let y = minY; y <= maxY; y++) {
      const cy = y + 0.5;
      crossings.length = 0;
      for (let i = 0; i < points.length; i++) {
        const a = points[i];
        const b = points[(i + 1) % points.length];
        if ((a.y <= cy && b.y > cy) || (b.y <= cy && a.y > cy)) crossings.push(a.x + ((cy - a.y) / (b.y - a.y)) * (b.x - a.x));
      }
      crossings.sort((m, n) => m - n);
      for (let k = 0; k + 1 < crossings.length; k += 2) {
        const from = Math.max(0, Math.ceil(crossings[k] - 0.5));
        const to = Math.min(this.width - 1, Math.floor(crossings[k + 1] - 0.5));
        this.pixels.fill(value, y * this.width + from, y * this.width + to + 1);
      }
    }
  }

  fillEllipse(center: Point, rx: number, ry: number, value: number): void {
    const steps = 24;
    this.fillPolygon(
      Array.from({ length: steps }, (_, i) => ({ x: center.x + rx * Math.cos((2 * Math.PI * i) / steps), y: center.y + ry * Math.sin((2 * Math.PI * i) / steps) })),
      value,
    );
  }

  /** Uniform noise in ±amplitude from the PRNG (deterministic). */
  addNoise(prng: Prng, amplitude: number): void {
    for (let i = 0; i < this.pixels.length; i++) this.pixels[i] += (prng.next() * 2 - 1) * amplitude;
  }

  /** 3×3 box blur: softens the hard polygon edges a little. */
  blur(): void {
    const { width, height } = this;
    const source = this.pixels.slice();
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let sum = 0;
        let n = 0;
        for (let dy = -1; dy <= 1; dy++) {
          const yy = y + dy;
          if (yy < 0 || yy >= height) continue;
          for (let dx = -1; dx <= 1; dx++) {
            const xx = x + dx;
            if (xx < 0 || xx >= width) continue;
            sum += source[yy * width + xx];
            n++;
          }
        }
        this.pixels[y * width + x] = sum / n;
      }
    }
  }

  /** 8-bit greyscale PNG bytes. */
  toPng(): Buffer {
    const png = new PNG({ width: this.width, height: this.height, colorType: 0, inputColorType: 0, inputHasAlpha: false });
    const data = Buffer.alloc(this.width * this.height);
    for (let i = 0; i < data.length; i++) data[i] = Math.max(0, Math.min(255, Math.round(this.pixels[i])));
    png.data = data;
    return PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
  }
}

/** Shrinks a polygon towards its centroid by `inset` pixels (approximately), for cortical rims. */
export function insetPolygon(points: readonly Point[], inset: number): Point[] {
  const cx = points.reduce((s, q) => s + q.x, 0) / points.length;
  const cy = points.reduce((s, q) => s + q.y, 0) / points.length;
  return points.map((q) => {
    const dx = q.x - cx;
    const dy = q.y - cy;
    const length = Math.hypot(dx, dy) || 1;
    const scale = Math.max(0, (length - inset * 1.4) / length);
    return { x: cx + dx * scale, y: cy + dy * scale };
  });
}
