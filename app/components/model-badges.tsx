/** The badges a model carries wherever it is listed: baseline, and who ran it (confirmed vs provisional). */
export function ModelBadges({ isBaseline, runBy }: { isBaseline: boolean; runBy: 'platform' | 'self-hosted' }) {
  return (
    <>
      {isBaseline ? <span className="badge baseline">baseline</span> : null}
      {runBy === 'platform' ? (
        <span className="badge confirmed" title="An ONNX artifact the platform ran itself: confirmed">run by the platform</span>
      ) : (
        <span className="badge" title="A self-hosted endpoint saw the questions: provisional">self-hosted</span>
      )}
    </>
  );
}
