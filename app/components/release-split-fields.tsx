/** The release and split choices every submission form shares. */
export function ReleaseSplitFields({
  releases,
  defaultSplit,
  error,
}: {
  releases: string[];
  defaultSplit: 'dev' | 'test';
  error: (field: 'release' | 'split') => React.ReactNode;
}) {
  return (
    <>
      <label>
        Release
        <select name="release">{releases.map((r) => <option key={r}>{r}</option>)}</select>
        {error('release')}
      </label>
      <label>
        Split
        <select name="split" defaultValue={defaultSplit}>
          <option value="dev">dev (public sanity check)</option>
          <option value="test">test (hidden, ranked)</option>
        </select>
        {error('split')}
      </label>
    </>
  );
}
