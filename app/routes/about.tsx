import type { MetaFunction } from '@remix-run/node';
import { Link } from '@remix-run/react';

export const meta: MetaFunction = () => [{ title: 'About SpineBench · SpineBench Hub' }];

const ARXIV_ID = '2510.03160';
const AUTHORS = [
  'Zhao, Ming', 'Dong, Wenhui', 'Zhang, Yang', 'Zheng, Xiang', 'Zhang, Zhonghao', 'Zhou, Zian', 'Guan, Yunzhi', 'Xu, Liukun', 'Peng, Wei',
  'Gong, Zhaoyang', 'Zhang, Zhicheng', 'Li, Dachuan', 'Ma, Xiaosheng', 'Ma, Yuli', 'Ni, Jianing', 'Jiang, Changjiang', 'Tian, Lixia',
  'Chen, Qixin', 'Xia, Kaishun', 'Liu, Pingping', 'Zhang, Tongshun', 'Liu, Zhiqiang', 'Bi, Zhongan', 'Si, Chenyang', 'Sun, Tiansheng', 'Shan, Caifeng',
];
const TITLE = 'SpineBench: A Clinically Salient, Level-Aware Benchmark Powered by the SpineMed-450k Corpus';

// Authors and title as listed on arXiv (abs/2510.03160, v1 of 3 Oct 2025).
const BIBTEX = `@misc{zhao2025spinebench,
  title         = {${TITLE}},
  author        = {${AUTHORS.join(' and ')}},
  year          = {2025},
  eprint        = {${ARXIV_ID}},
  archivePrefix = {arXiv},
  primaryClass  = {cs.CV},
  url           = {https://arxiv.org/abs/${ARXIV_ID}}
}`;

/** `/about`: the paper, how to cite it, and how scores are computed (the prose of docs/scoring.md). */
export default function About() {
  return (
    <article className="about">
      <h1>About SpineBench</h1>
      <p>
        SpineBench comes from the paper <cite>{TITLE}</cite> by Ming Zhao and 25 co-authors (
        <a href={`https://arxiv.org/abs/${ARXIV_ID}`}>arXiv {ARXIV_ID}</a>, 2025). It tests whether vision-language models
        reason about the spine the way a surgeon must: at the right vertebral level, across X-ray, CT and MRI, along three
        clinical skills — level identification, pathology assessment and surgical planning. This hub hosts the benchmark:
        teams submit models, an evaluator fleet runs the hidden test split, and the leaderboards show the results.
      </p>

      <h2>Cite the paper</h2>
      <pre className="bibtex" data-testid="bibtex" tabIndex={0} aria-label="BibTeX entry">{BIBTEX}</pre>

      <h2 id="scoring">How scores are computed</h2>
      <p>
        <strong>Multiple-choice questions</strong> (text only, and image with text) are scored by reading the chosen
        option from the model's free text — "B", "(B)", "Answer: B", the option's own text, or Chinese forms such as
        "答案：B". An answer naming several options or none is wrong and counted as "no answer". A part's score is its
        accuracy in percent; with four options, guessing scores about 25%.
      </p>
      <p>
        <strong>Level questions</strong> also get level-aware measures: whether the exact level was named, precision,
        recall and F1 over the named levels, and how often an answer is one level off (the classic wrong-level error),
        apart from answers further off or naming no level. The model pages draw these on a picture of the spine.
      </p>
      <p>
        <strong>Reports</strong> are rated by an LLM judge on ten dimensions from 1 to 5, grouped in five sections; the
        report score is 20 × the mean of the section means (0–100), so a report rated 1 everywhere scores 20 and a
        missing report is worth that floor. Beside the judge, a judge-free check looks for the case's key findings at the
        right level, levels the case does not have, and the six report sections; it never rewards saying nothing. Without
        a judge the report part uses this check alone and is labelled "deterministic": it is not comparable with judge scores.
        Boards name the judge model, its version and its prompt version.
      </p>
      <p>
        <strong>Overall</strong> is the item-count-weighted mean of the three parts, (n<sub>text</sub>·P<sub>text</sub> +
        n<sub>image</sub>·P<sub>image</sub> + n<sub>report</sub>·P<sub>report</sub>) / (n<sub>text</sub> + n<sub>image</sub> + n<sub>report</sub>),
        which is the mean over all items.
      </p>
      <p>
        <strong>Uncertainty</strong>: every score carries a 95% interval that is seeded, so the same scores always give the
        same interval — a Wilson interval for multiple-choice scores, a stratified bootstrap for reports and mixed scores.
        <strong> Ranks</strong> are 1 + the number of models with a higher overall score, shown with a simultaneous 95% rank
        interval from a paired bootstrap over the items every model was scored on. The <Link to="/compare">compare page</Link> uses
        the same pairing: it resamples the same items for both models and reports the difference with its interval.
      </p>
      <p>
        <strong>Re-scoring</strong>: raw model outputs are kept, so a new scorer version or a new judge re-scores a run without
        calling the model again; rows scored by an earlier judge are marked stale until then.
      </p>
      <p className="note">
        The full rules, with the reasons for each, are in the repository's <code>docs/scoring.md</code> and its decision records.
        The demo release on this hub is <strong>synthetic</strong>: drawn images and generated questions that show how the
        platform works, not clinical evidence.
      </p>
    </article>
  );
}
