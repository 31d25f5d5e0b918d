import { scoreItem } from '../evaluator/scoring';
import { parseLevels } from '../benchmark/levels';
import { extractChoice } from '../evaluator/scoring/choice';
const mk = (n: number): any => ({ id: `perf-${n}`, split: 'test', task: 'mcq', inputKind: 'text', language: 'en', question: `[perf ${n}] Which lumbar level is named in this synthetic note?`, options: { A: 'L1', B: 'L2', C: 'L3', D: 'L4', E: 'L5' }, answer: 'A', skill: 'level_identification', region: 'lumbar', pathology: 'none', levels: ['L1'], images: [], provenance: { source: 'perf', synthetic: true } });
const items = Array.from({ length: 20000 }, (_, n) => mk(n));
for (let r = 0; r < 3; r++) {
  let t = performance.now(); for (const it of items) scoreItem(it, 'A'); console.log('fresh items µs/item', ((performance.now() - t) * 1000 / items.length).toFixed(1));
  t = performance.now(); for (let i = 0; i < 20000; i++) scoreItem(items[0], 'A'); console.log('same item µs/item', ((performance.now() - t) * 1000 / 20000).toFixed(1));
  t = performance.now(); for (let i = 0; i < 20000; i++) parseLevels('L3'); console.log('parseLevels µs', ((performance.now() - t) * 1000 / 20000).toFixed(2));
  t = performance.now(); for (let i = 0; i < 20000; i++) extractChoice('A', items[0].options); console.log('extractChoice µs', ((performance.now() - t) * 1000 / 20000).toFixed(2));
}
