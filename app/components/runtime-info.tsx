import { describeRunResources } from '../utils/runtime-resources';

/** Where the platform ran an ONNX model: device and runtime versions, load time and memory, as the worker recorded them. */
export function RuntimeInfoNote({ info }: { info: unknown }) {
  if (!info || typeof info !== 'object') return null;
  const { device, onnxruntimeVersion, transformersVersion } = info as Record<string, unknown>;
  if (typeof device !== 'string') return null;
  const resources = describeRunResources(info);
  return (
    <p className="note" data-testid="runtime-info">
      Run by the platform on <strong>{device.toUpperCase()}</strong> with onnxruntime-node {String(onnxruntimeVersion ?? '?')} and
      transformers.js {String(transformersVersion ?? '?')}.{resources ? ` ${resources}` : ''}
    </p>
  );
}
