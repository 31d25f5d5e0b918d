/** Where the platform ran an ONNX model: device, the GPU behind it, runtime versions, and why faster devices were skipped. */
export function RuntimeInfoNote({ info }: { info: unknown }) {
  if (!info || typeof info !== 'object') return null;
  const { device, adapter, skipped, onnxruntimeVersion, transformersVersion } = info as Record<string, unknown>;
  if (typeof device !== 'string') return null;
  const adapterName = adapter && typeof adapter === 'object' ? (adapter as { name?: unknown; driver?: unknown }) : null;
  const skippedList = Array.isArray(skipped) ? (skipped as { device?: unknown; reason?: unknown }[]) : [];
  return (
    <div className="note" data-testid="runtime-info">
      <p>
        {`Run by the platform on ${device.toUpperCase()}`}
        {adapterName ? ` (${String(adapterName.name ?? '?')}, driver ${String(adapterName.driver ?? '?')})` : ''}
        {` with onnxruntime-node ${String(onnxruntimeVersion ?? '?')} and transformers.js ${String(transformersVersion ?? '?')}.`}
      </p>
      {skippedList.length > 0 ? (
        <ul aria-label="Devices not used">
          {skippedList.map((s) => (
            <li key={String(s.device)}>{`${String(s.device).toUpperCase()} not used: ${String(s.reason ?? '')}`}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
