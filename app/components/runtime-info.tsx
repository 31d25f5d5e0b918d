/** Where the platform ran an ONNX model: device and runtime versions, as the worker recorded them. */
export function RuntimeInfoNote({ info }: { info: unknown }) {
  if (!info || typeof info !== 'object') return null;
  const { device, onnxruntimeVersion, transformersVersion } = info as Record<string, unknown>;
  if (typeof device !== 'string') return null;
  return (
    <p className="note" data-testid="runtime-info">
      Run by the platform on <strong>{device.toUpperCase()}</strong> with onnxruntime-node {String(onnxruntimeVersion ?? '?')} and
      transformers.js {String(transformersVersion ?? '?')}.
    </p>
  );
}
