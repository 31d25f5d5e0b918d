import { describeRunResources } from '../utils/runtime-resources';

/**
 * Where the platform ran an ONNX model, as the worker recorded it: device, the GPU behind it, runtime
 * versions, load time and memory, and why faster devices were skipped.
 */
export function RuntimeInfoNote({ info }: { info: unknown }) {
  if (!info || typeof info !== 'object') return null;
  const { device, adapter, skipped, onnxruntimeVersion, transformersVersion } = info as Record<string, unknown>;
  if (typeof device !== 'string') return null;
  const gpu = adapter && typeof adapter === 'object' ? (adapter as { name?: unknown; driver?: unknown }) : null;
  const skippedList = Array.isArray(skipped) ? (skipped as { device?: unknown; reason?: unknown }[]) : [];
  const resources = describeRunResources(info);
  // One string, so the sentence renders as one text node.
  const sentence =
    `Run by the platform on ${device.toUpperCase()}` +
    (gpu ? ` (${String(gpu.name ?? '?')}, driver ${String(gpu.driver ?? '?')})` : '') +
    ` with onnxruntime-node ${String(onnxruntimeVersion ?? '?')} and transformers.js ${String(transformersVersion ?? '?')}.` +
    (resources ? ` ${resources}` : '');
  return (
    <div className="note" data-testid="runtime-info">
      <p>{sentence}</p>
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
