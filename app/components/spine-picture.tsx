import { CANONICAL_VERTEBRAE } from '../../benchmark/level-vocabulary';
import type { LevelConfusion, SpineLevelCount } from '../../evaluator/scoring/board-views';

/**
 * The spine from C1 to the sacrum, each vertebra and disc level coloured by the share of exact answers there,
 * with counts, and off-by-one answers marked apart from worse ones. Plain server-rendered SVG: no JavaScript.
 */

const VERTEBRA_H = 20;
const DISC_H = 7;
const TOP = 16;
const BODY_X = 96;
const BODY_W = 64;

/** Red (none exact) → pale → blue (all exact): readable with the common colour-vision deficiencies. */
export function accuracyColor(rate: number): string {
  const stops: Array<[number, [number, number, number]]> = [
    [0, [178, 24, 43]],
    [0.5, [247, 247, 247]],
    [1, [33, 102, 172]],
  ];
  const i = rate <= 0.5 ? 0 : 1;
  const [a, ca] = stops[i];
  const [b, cb] = stops[i + 1];
  const t = Math.min(1, Math.max(0, (rate - a) / (b - a)));
  const c = ca.map((x, k) => Math.round(x + (cb[k] - x) * t));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

interface Slot {
  label: string;
  kind: 'vertebra' | 'disc';
  y: number;
  h: number;
}

/** Vertebrae C1…L5 (L6 only where answered), S1 standing for the sacrum, and the discs between them. */
function layout(counts: Map<string, SpineLevelCount>): Slot[] {
  const vertebrae = CANONICAL_VERTEBRAE.filter((v) => !/^S[2-5]$|^Co$/.test(v) && (v !== 'L6' || counts.has('L6') || counts.has('L5-L6') || counts.has('L6-S1')));
  const slots: Slot[] = [];
  let y = TOP;
  vertebrae.forEach((v, i) => {
    const sacrum = v === 'S1';
    const h = sacrum ? VERTEBRA_H * 2.2 : VERTEBRA_H;
    slots.push({ label: v, kind: 'vertebra', y, h });
    y += h;
    const next = vertebrae[i + 1];
    if (next) {
      slots.push({ label: `${v}-${next}`, kind: 'disc', y, h: DISC_H });
      y += DISC_H;
    }
  });
  return slots;
}

export function SpinePicture({ spine, confusions }: { spine: SpineLevelCount[]; confusions: LevelConfusion[] }) {
  const counts = new Map(spine.map((s) => [s.level, s]));
  const slots = layout(counts);
  const height = slots[slots.length - 1].y + slots[slots.length - 1].h + 16;
  const offByOne = confusions.filter((c) => c.kind === 'off_by_one');
  const worse = confusions.filter((c) => c.kind === 'worse');
  const described = spine.map((s) => `${s.level}: ${s.exact} of ${s.n} exact, ${s.offByOne} off by one, ${s.worse} worse`).join('; ');
  return (
    <figure className="spine-figure" data-testid="spine-picture">
      <svg viewBox={`0 0 330 ${height}`} width="330" height={height} role="img" aria-labelledby="spine-title spine-desc">
        <title id="spine-title">Exact-level accuracy by vertebral level, C1 to sacrum</title>
        <desc id="spine-desc">{described || 'No level questions were answered.'}</desc>
        <text x={BODY_X - 78} y={11} fontSize="10" fill="#1d2330">±1 · worse</text>
        <text x={BODY_X + BODY_W + 8} y={11} fontSize="10" fill="#1d2330">exact / asked</text>
        {slots.map((s) => {
          const c = counts.get(s.label);
          const rate = c && c.n > 0 ? c.exact / c.n : null;
          const fill = rate === null ? (s.kind === 'disc' ? '#dfe3ea' : '#eef1f6') : accuracyColor(rate);
          const inset = s.kind === 'disc' ? 8 : 0;
          const shape =
            s.label === 'S1' ? (
              <path d={`M${BODY_X} ${s.y} h${BODY_W} l-14 ${s.h} h${-(BODY_W - 28)} z`} fill={fill} stroke="#4a5568" />
            ) : (
              <rect x={BODY_X + inset} y={s.y + (s.kind === 'disc' ? 1 : 0)} width={BODY_W - 2 * inset} height={s.h - (s.kind === 'disc' ? 2 : 1)} rx={s.kind === 'disc' ? 3 : 4} fill={fill} stroke={s.kind === 'disc' ? '#8a94a6' : '#4a5568'} />
            );
          const mid = s.y + s.h / 2 + 3.5;
          return (
            <g key={s.label} data-level={s.label} data-n={c?.n ?? 0} data-exact={c?.exact ?? 0}>
              <title>{c ? `${s.label}: ${c.exact}/${c.n} exact, ${c.offByOne} off by one, ${c.worse} worse, ${c.noLevel} no level` : `${s.label}: not asked`}</title>
              {shape}
              {s.kind === 'vertebra' ? (
                <text x={BODY_X + BODY_W / 2} y={mid} fontSize="10" textAnchor="middle" fill={rate !== null && (rate < 0.2 || rate > 0.8) ? '#fff' : '#1d2330'}>
                  {s.label === 'S1' ? 'S' : s.label}
                </text>
              ) : null}
              {c ? (
                <>
                  <text x={BODY_X + BODY_W + 8} y={mid} fontSize="10" fill="#1d2330">
                    {s.kind === 'disc' ? `${s.label} ` : ''}
                    {c.exact}/{c.n}
                  </text>
                  {c.offByOne > 0 ? (
                    <text x={BODY_X - 60} y={mid} fontSize="10" fill="#8a4b00" data-kind="off-by-one">
                      ±1:{c.offByOne}
                    </text>
                  ) : null}
                  {c.worse > 0 ? (
                    <text x={BODY_X - 26} y={mid} fontSize="10" fill="#9b1220" fontWeight="700" data-kind="worse">
                      ✕{c.worse}
                    </text>
                  ) : null}
                </>
              ) : null}
            </g>
          );
        })}
      </svg>
      <figcaption className="note">
        Colour: share of exact answers at that level (red none, blue all; grey not asked). Left: answers off by one level (±1) and worse (✕).
      </figcaption>
      <div className="confusions">
        <ConfusionList title="Off by one (read as the neighbouring level)" items={offByOne} testId="confusions-off-by-one" />
        <ConfusionList title="Worse than off by one" items={worse} testId="confusions-worse" />
      </div>
    </figure>
  );
}

function ConfusionList({ title, items, testId }: { title: string; items: LevelConfusion[]; testId: string }) {
  return (
    <section data-testid={testId}>
      <h4>{title}</h4>
      {items.length === 0 ? (
        <p className="note">None.</p>
      ) : (
        <ul>
          {items.slice(0, 12).map((c) => (
            <li key={`${c.truth}>${c.predicted}`}>
              {c.truth} read as {c.predicted}: {c.count}×
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
