/**
 * Pure checks of one decoded ONNX model against the platform's rules: operator domains (no custom
 * ops), graph inputs/outputs for the architecture, KV-cache naming and shapes, external-data refs.
 */
import { PAST_KEY_PATTERN, PRESENT_KEY_PATTERN, type SessionContract, type SessionName } from './architectures';
import type { BundleProblem } from './bundle-report';
import { DATA_LOCATION_EXTERNAL, type Graph, type Model, type Node, type ValueInfo } from './onnx-proto';

/**
 * Operator domains implemented inside ONNX Runtime itself (see docs/decisions/160). Anything else
 * needs a custom-op library, which the platform never loads.
 */
export const ALLOWED_OP_DOMAINS = ['', 'ai.onnx', 'ai.onnx.ml', 'com.microsoft'] as const;
const isAllowedDomain = (d: string | undefined) => (ALLOWED_OP_DOMAINS as readonly string[]).includes(d ?? '');

/** Every node of a graph, including those in control-flow subgraphs (If/Loop/Scan bodies). */
function* allNodes(graph: Graph | undefined): Generator<Node> {
  for (const node of graph?.node ?? []) {
    yield node;
    for (const attr of node.attribute ?? []) {
      if (attr.g) yield* allNodes(attr.g);
      for (const g of attr.graphs ?? []) yield* allNodes(g);
    }
  }
}

export function checkOperatorDomains(file: string, model: Model): BundleProblem[] {
  const problems: BundleProblem[] = [];
  // Model-local functions are expanded by ONNX Runtime from their own bodies, which must be clean too.
  const localFunctions = new Set((model.functions ?? []).map((f) => `${f.domain ?? ''}::${f.name ?? ''}`));
  const localDomains = new Set((model.functions ?? []).map((f) => f.domain ?? ''));
  for (const opset of model.opset_import ?? []) {
    if (!isAllowedDomain(opset.domain) && !localDomains.has(opset.domain ?? '')) {
      problems.push({ file, field: `opset_import "${opset.domain}"`, message: `custom operator domain "${opset.domain}" is not allowed (allowed: ${ALLOWED_OP_DOMAINS.map((d) => d || "''").join(', ')})` });
    }
  }
  const reported = new Set<string>();
  const checkNode = (node: Node, where: string) => {
    const domain = node.domain ?? '';
    if (isAllowedDomain(domain) || localFunctions.has(`${domain}::${node.op_type}`)) return;
    const key = `${domain}::${node.op_type}`;
    if (reported.has(key)) return;
    reported.add(key);
    problems.push({ file, field: `${where}node "${node.name || node.op_type}"`, message: `operator ${domain}.${node.op_type} is a custom op; custom-op domains are refused` });
  };
  for (const node of allNodes(model.graph)) checkNode(node, '');
  for (const fn of model.functions ?? []) {
    for (const node of fn.node ?? []) checkNode(node, `function ${fn.domain}.${fn.name}: `);
  }
  return problems;
}

/** Real graph inputs (IR < 4 models also list initializers as inputs). */
export function graphInputs(graph: Graph): ValueInfo[] {
  const initializers = new Set((graph.initializer ?? []).map((t) => t.name));
  return (graph.input ?? []).filter((i) => !initializers.has(i.name));
}

export function checkSessionIO(file: string, session: SessionName, model: Model, contract: SessionContract): BundleProblem[] {
  const graph = model.graph!;
  const problems: BundleProblem[] = [];
  const inputs = graphInputs(graph).map((i) => i.name);
  const outputs = (graph.output ?? []).map((o) => o.name);
  const isCache = (name: string) => session === 'decoder_model_merged' && PAST_KEY_PATTERN.test(name);
  const isPresent = (name: string) => session === 'decoder_model_merged' && PRESENT_KEY_PATTERN.test(name);
  for (const name of contract.requiredInputs) {
    if (!inputs.includes(name)) problems.push({ file, field: `input "${name}"`, message: `the ${session} graph must declare input "${name}"` });
  }
  for (const name of inputs) {
    if (!contract.requiredInputs.includes(name) && !contract.optionalInputs.includes(name) && !isCache(name)) {
      problems.push({ file, field: `input "${name}"`, message: `unexpected input "${name}": the runner would not feed it (expected ${[...contract.requiredInputs, ...contract.optionalInputs].join(', ')})` });
    }
  }
  for (const name of contract.requiredOutputs) {
    if (!outputs.includes(name)) problems.push({ file, field: `output "${name}"`, message: `the ${session} graph must declare output "${name}"` });
  }
  for (const name of outputs) {
    if (!contract.requiredOutputs.includes(name) && !isPresent(name)) {
      problems.push({ file, field: `output "${name}"`, message: `unexpected output "${name}"` });
    }
  }
  return problems;
}

/**
 * Decoder KV cache: past_key_values.N.key/value for N = 0..L-1 with matching present.N.* outputs,
 * rank 4 [batch_size, heads, past_sequence_length, head_dim] where heads and head_dim are numbers and
 * the past length is a named dimension (transformers.js builds the empty first-step cache from these).
 */
export function checkKvCache(file: string, model: Model, expectedLayers: number | undefined): BundleProblem[] {
  const graph = model.graph!;
  const problems: BundleProblem[] = [];
  const past = graphInputs(graph).filter((i) => PAST_KEY_PATTERN.test(i.name));
  const present = new Set((graph.output ?? []).map((o) => o.name).filter((n) => PRESENT_KEY_PATTERN.test(n)));
  const layers = new Set(past.map((i) => Number(PAST_KEY_PATTERN.exec(i.name)![1])));
  if (layers.size === 0) {
    return [{ file, field: 'input "past_key_values.0.key"', message: 'the decoder must take a KV cache (past_key_values.N.key/value inputs, present.N.key/value outputs)' }];
  }
  const count = Math.max(...layers) + 1;
  if (expectedLayers !== undefined && count !== expectedLayers) {
    problems.push({ file, field: 'past_key_values', message: `the decoder has a KV cache for ${count} layers but config.json declares ${expectedLayers}` });
  }
  for (let n = 0; n < count; n++) {
    for (const kind of ['key', 'value']) {
      const name = `past_key_values.${n}.${kind}`;
      const input = past.find((i) => i.name === name);
      if (!input) problems.push({ file, field: `input "${name}"`, message: `missing KV-cache input "${name}"` });
      if (!present.has(`present.${n}.${kind}`)) problems.push({ file, field: `output "present.${n}.${kind}"`, message: `missing KV-cache output "present.${n}.${kind}"` });
      const dims = input?.type?.tensor_type?.shape?.dim;
      if (!input || !dims) continue;
      const fixed = (i: number) => typeof dims[i]?.dim_value === 'number' && dims[i].dim_value! > 0;
      if (dims.length !== 4 || !fixed(1) || !dims[2]?.dim_param || !fixed(3)) {
        problems.push({ file, field: `input "${name}"`, message: 'KV-cache inputs must have shape [batch_size, <heads: number>, <past length: named dimension>, <head_dim: number>]' });
      }
    }
  }
  return problems;
}

export interface ExternalDataRef {
  tensor: string;
  location: string;
  offset: number;
  length: number | null;
}

/** External-data references of the initializers (weights stored beside the .onnx file). */
export function externalDataRefs(model: Model): ExternalDataRef[] {
  const refs: ExternalDataRef[] = [];
  for (const t of model.graph?.initializer ?? []) {
    if (t.data_location !== DATA_LOCATION_EXTERNAL) continue;
    const entry = (key: string) => t.external_data?.find((e) => e.key === key)?.value;
    const length = entry('length');
    refs.push({ tensor: t.name ?? '', location: entry('location') ?? '', offset: Number(entry('offset') ?? 0), length: length === undefined ? null : Number(length) });
  }
  return refs;
}

/** An external-data location must be a plain file name or relative path that stays in the folder. */
export function isSafeRelativeLocation(location: string): boolean {
  if (location === '' || location.includes('\\') || location.includes('\0') || location.startsWith('/')) return false;
  return location.split('/').every((part) => part !== '' && part !== '.' && part !== '..');
}

/** transformers.js refuses more external data chunks than this (utils/hub/constants.js). */
export const MAX_EXTERNAL_DATA_CHUNKS = 100;

/**
 * The external data files transformers.js opens for a graph, from config.json's
 * `transformers.js_config.use_external_data_format` (true → 1 chunk, a number → that many; an object
 * keyed by graph file or session name), as utils/model-loader.js resolves it. transformers.js fails to
 * load when one is missing, so each must exist. Returns a problem message when the value is unusable.
 */
export function declaredExternalDataFiles(config: unknown, graphFile: string, session: string): string[] | { problem: string } {
  const jsConfig = (config as { 'transformers.js_config'?: { use_external_data_format?: unknown } } | null)?.['transformers.js_config'];
  const format = jsConfig?.use_external_data_format;
  if (format === undefined || format === null || format === false) return [];
  let value: unknown = format;
  if (typeof format === 'object') {
    const byName = format as Record<string, unknown>;
    value = Object.hasOwn(byName, graphFile) ? byName[graphFile] : Object.hasOwn(byName, session) ? byName[session] : 0;
  }
  const chunks = value === true ? 1 : value === false ? 0 : value;
  if (typeof chunks !== 'number' || !Number.isInteger(chunks) || chunks < 0 || chunks > MAX_EXTERNAL_DATA_CHUNKS) {
    return { problem: `use_external_data_format for ${graphFile} must be true, false or a whole number of chunks from 0 to ${MAX_EXTERNAL_DATA_CHUNKS}` };
  }
  return externalDataChunkNames(graphFile, chunks);
}

/** transformers.js's chunk file names for a graph file (utils/model-loader.js getExternalDataChunkNames). */
export function externalDataChunkNames(graphFile: string, chunks: number): string[] {
  return Array.from({ length: chunks }, (_, i) => `${graphFile}_data${i === 0 ? '' : `_${i}`}`);
}
