import { scoreItem } from '../evaluator/scoring';
const it: any = { id: `perf-1`, split: 'test', task: 'mcq', inputKind: 'text', language: 'en', question: `q`, options: { A: 'L1', B: 'L2', C: 'L3', D: 'L4', E: 'L5' }, answer: 'A', skill: 'level_identification', region: 'lumbar', pathology: 'none', levels: ['L1'], images: [], provenance: { source: 'perf', synthetic: true } };
console.log(JSON.stringify(scoreItem(it, 'A')));
