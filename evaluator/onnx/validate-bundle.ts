/**
 * Validates an extracted ONNX submission bundle against the contract in docs/onnx-submissions.md,
 * before anything is queued. Never throws for a bad bundle: returns every problem found, each naming
 * the file and field. Reads each .onnx file once (≤ 2 GiB by the protobuf limit; weights above that
 * live in external data files, which are only stat-ed).
 */
import { lstat, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { Template } from '@huggingface/jinja';
import type { ZodIssue } from 'zod';
import { BundleFileError, describeJsonError, jsonLimitFor, openRegularFile, readRegularFile } from './bundle-files';
import { ARCHITECTURE_CONTRACTS, SESSION_NAMES, type SessionName } from './architectures';
import type { BundleProblem } from './bundle-report';
import { checkKvCache, checkOperatorDomains, checkSessionIO, declaredExternalDataFiles, externalDataRefs, isSafeRelativeLocation } from './graph-checks';
import { DTYPE_FILE_SUFFIX, MANIFEST_FILE_NAME, onnxManifestSchema, type OnnxManifest } from './manifest';
import { decodeModel, type Model } from './onnx-proto';
import { DEFAULT_PLAN_PROMPT_TOKENS, gib, planMemory, textDimsFromConfig, weightFileBytes, type MemoryPlan } from './memory-plan';

export interface ValidateBundleOptions {
  /** Memory available to one model on the worker; the manifest's declaredTotalBytes must fit. */
  memoryLimitBytes: number;
}

export interface BundleSession {
  file: string;
  bytes: number;
  externalDataBytes: number;
  inputs: string[];
  outputs: string[];
}

export interface BundleReport {
  ok: boolean;
  problems: BundleProblem[];
  manifest: OnnxManifest | null;
  /** Bytes under onnx/ (graphs + external data). */
  onnxBytes: number;
  sessions: Partial<Record<SessionName, BundleSession>>;
  /** Memory estimate for the default prompt bound (memory-plan.ts); absent when config.json lacks the model's shape. */
  memoryPlan?: MemoryPlan | null;
}

const REQUIRED_JSON = ['config.json', 'generation_config.json', 'preprocessor_config.json', 'tokenizer.json', 'tokenizer_config.json'];
const PROTOBUF_LIMIT = 2 ** 31 - 1;
const NATIVE_LIBRARY_EXT = /\.(so(\.\d+)*|dll|dylib|node|exe|bin\.so)$/i;
const NATIVE_MAGIC = [
  Buffer.from([0x7f, 0x45, 0x4c, 0x46]), // ELF
  Buffer.from([0x4d, 0x5a]), // PE (MZ)
  Buffer.from([0xcf, 0xfa, 0xed, 0xfe]), // Mach-O 64
  Buffer.from([0xca, 0xfe, 0xba, 0xbe]), // Mach-O universal
];

type JsonObject = Record<string, unknown>;

/** Reads one JSON file: no links or FIFOs, size-capped before reading; errors never quote the file. */
async function readJson(dir: string, file: string, problems: BundleProblem[]): Promise<JsonObject | null> {
  let text: string;
  try {
    text = (await readRegularFile(path.join(dir, file), jsonLimitFor(file))).toString('utf8');
  } catch (e) {
    problems.push({ file, message: e instanceof BundleFileError ? e.message : 'cannot be read' });
    return null;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    problems.push({ file, message: describeJsonError(e) });
    return null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push({ file, message: 'not a JSON object' });
    return null;
  }
  return value as JsonObject;
}

/** A manifest problem in words that name the field and the rule, never the file's own text. */
function describeManifestIssue(issue: ZodIssue): string {
  if (issue.code === 'invalid_enum_value') return `must be one of ${issue.options.map((o) => JSON.stringify(o)).join(', ')}`;
  if (issue.code === 'invalid_literal') return `must be ${JSON.stringify(issue.expected)}`;
  if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length === 1 ? '' : 's'} (${issue.keys.length})`;
  return issue.message;
}

/** All regular files under dir (relative paths); symlinks and other non-files are problems. */
async function listFiles(dir: string, problems: BundleProblem[], prefix = ''): Promise<{ rel: string; bytes: number }[]> {
  const files: { rel: string; bytes: number }[] = [];
  for (const entry of await readdir(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isSymbolicLink()) problems.push({ file: rel, message: 'symbolic links are not allowed in a bundle' });
    else if (entry.isDirectory()) files.push(...(await listFiles(dir, problems, rel)));
    else if (entry.isFile()) files.push({ rel, bytes: (await lstat(path.join(dir, rel))).size });
    else problems.push({ file: rel, message: 'only regular files and folders are allowed in a bundle' });
  }
  return files;
}

async function startsWithNativeMagic(file: string): Promise<boolean> {
  const { handle } = await openRegularFile(file);
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    return NATIVE_MAGIC.some((m) => bytesRead >= m.length && head.subarray(0, m.length).equals(m));
  } finally {
    await handle.close();
  }
}

function checkChatTemplate(manifest: OnnxManifest, tokenizerConfig: JsonObject | null, problems: BundleProblem[]): void {
  let source: string | undefined;
  let where: BundleProblem;
  if ('inline' in manifest.chatTemplate) {
    source = manifest.chatTemplate.inline;
    where = { file: MANIFEST_FILE_NAME, field: 'chatTemplate.inline', message: '' };
  } else {
    const value = tokenizerConfig?.chat_template;
    where = { file: 'tokenizer_config.json', field: 'chat_template', message: '' };
    if (typeof value !== 'string' || value.trim() === '') {
      if (tokenizerConfig) problems.push({ ...where, message: 'the manifest says the chat template is in tokenizer_config.json, but chat_template is missing or not a string' });
      return;
    }
    source = value;
  }
  try {
    new Template(source);
  } catch (e) {
    problems.push({ ...where, message: `the chat template does not parse as Jinja: ${(e as Error).message}` });
  }
}

async function checkExternalData(dir: string, file: string, model: Model, problems: BundleProblem[]): Promise<number> {
  let total = 0;
  const seen = new Set<string>();
  for (const ref of externalDataRefs(model)) {
    const field = `initializer "${ref.tensor}"`;
    if (!isSafeRelativeLocation(ref.location)) {
      problems.push({ file, field, message: `external data location "${ref.location}" must be a relative path inside onnx/` });
      continue;
    }
    const dataFile = path.posix.join(path.posix.dirname(file), ref.location);
    let size: number;
    try {
      const info = await lstat(path.join(dir, dataFile));
      if (!info.isFile()) throw new Error('not a file');
      size = info.size;
    } catch {
      problems.push({ file, field, message: `external data file "${dataFile}" is missing` });
      continue;
    }
    if (!seen.has(dataFile)) total += size;
    seen.add(dataFile);
    if (!(ref.offset >= 0) || (ref.length !== null && !(ref.length >= 0)) || ref.offset + (ref.length ?? 0) > size) {
      problems.push({ file, field, message: `external data range ${ref.offset}+${ref.length} lies outside "${dataFile}" (${size} bytes)` });
    }
  }
  return total;
}

/**
 * Chunked external data (graphs over 2 GB): transformers.js opens every chunk that config.json declares
 * and fails to load when one is missing; onnxruntime then reads the weights where the graph's
 * initializers point (checkExternalData), so any number of chunk files is accepted.
 */
async function checkDeclaredChunks(dir: string, file: string, session: SessionName, config: JsonObject | null, problems: BundleProblem[]): Promise<void> {
  const field = 'transformers.js_config.use_external_data_format';
  const declared = declaredExternalDataFiles(config, path.posix.basename(file), session);
  if ('problem' in declared) {
    problems.push({ file: 'config.json', field, message: declared.problem });
    return;
  }
  for (const name of declared) {
    const chunk = path.posix.join(path.posix.dirname(file), name);
    const isFile = await lstat(path.join(dir, chunk)).then((info) => info.isFile(), () => false);
    if (!isFile) problems.push({ file: 'config.json', field, message: `declares ${declared.length} external data file(s) for ${file}, but "${chunk}" is missing` });
  }
}

async function validateSession(
  dir: string,
  session: SessionName,
  manifest: OnnxManifest,
  config: JsonObject | null,
  problems: BundleProblem[],
): Promise<BundleSession | null> {
  const file = `onnx/${session}${DTYPE_FILE_SUFFIX[manifest.dtype]}.onnx`;
  let bytes: number;
  try {
    const info = await lstat(path.join(dir, file));
    if (!info.isFile()) throw new Error('not a file');
    bytes = info.size;
  } catch {
    problems.push({ file, message: `required graph for dtype ${manifest.dtype} is missing` });
    return null;
  }
  if (bytes > PROTOBUF_LIMIT) {
    problems.push({ file, message: 'the .onnx file is over 2 GiB; store the weights as external data (see docs/onnx-submissions.md)' });
    return null;
  }
  let model: Model;
  try {
    model = decodeModel(await readRegularFile(path.join(dir, file), PROTOBUF_LIMIT));
  } catch (e) {
    if (e instanceof BundleFileError) {
      problems.push({ file, message: e.message });
      return null;
    }
    problems.push({ file, message: `not an ONNX model: the file is not a valid protobuf ModelProto (${(e as Error).message})` });
    return null;
  }
  if (!model.graph || !(Number(model.ir_version) >= 3)) {
    problems.push({ file, message: 'not an ONNX model: no graph or no IR version (is this a protobuf of another kind?)' });
    return null;
  }
  const contract = ARCHITECTURE_CONTRACTS[manifest.architecture].sessions[session];
  problems.push(...checkOperatorDomains(file, model), ...checkSessionIO(file, session, model, contract));
  if (session === 'decoder_model_merged') {
    const textConfig = (config?.text_config ?? config) as JsonObject | null;
    const layers = textConfig?.num_hidden_layers;
    problems.push(...checkKvCache(file, model, typeof layers === 'number' ? layers : undefined));
  }
  const externalDataBytes = await checkExternalData(dir, file, model, problems);
  await checkDeclaredChunks(dir, file, session, config, problems);
  return {
    file,
    bytes,
    externalDataBytes,
    inputs: (model.graph.input ?? []).map((i) => i.name),
    outputs: (model.graph.output ?? []).map((o) => o.name),
  };
}

function planBundle(manifest: OnnxManifest, config: JsonObject | null, files: { rel: string; bytes: number }[]): MemoryPlan | null {
  const dims = textDimsFromConfig(config);
  if ('missing' in dims) return null;
  const { weightsBytes, largestGraphBytes } = weightFileBytes(files.map((f) => ({ path: f.rel, bytes: f.bytes })), manifest.dtype);
  return planMemory({ weightsBytes, largestGraphBytes, dtype: manifest.dtype, dims, promptTokens: DEFAULT_PLAN_PROMPT_TOKENS, maxNewTokens: manifest.maxNewTokens });
}

export async function validateBundle(dir: string, options: ValidateBundleOptions): Promise<BundleReport> {
  const problems: BundleProblem[] = [];
  const report = (manifest: OnnxManifest | null, onnxBytes: number, sessions: BundleReport['sessions']): BundleReport => ({
    ok: problems.length === 0,
    problems,
    manifest,
    onnxBytes,
    sessions,
  });
  if (!(await stat(dir).then((s) => s.isDirectory(), () => false))) {
    problems.push({ file: '.', message: 'the bundle folder does not exist' });
    return report(null, 0, {});
  }

  const files = await listFiles(dir, problems);
  for (const f of files) {
    const native = NATIVE_LIBRARY_EXT.test(f.rel) || (await startsWithNativeMagic(path.join(dir, f.rel)).catch(() => false));
    if (native) {
      problems.push({ file: f.rel, message: 'native libraries (custom-op libraries) are not allowed in a bundle' });
    }
  }
  const onnxBytes = files.filter((f) => f.rel.startsWith('onnx/')).reduce((sum, f) => sum + f.bytes, 0);

  const rawManifest = await readJson(dir, MANIFEST_FILE_NAME, problems);
  let manifest: OnnxManifest | null = null;
  if (rawManifest) {
    const parsed = onnxManifestSchema.safeParse(rawManifest);
    if (parsed.success) manifest = parsed.data;
    else {
      for (const issue of parsed.error.issues) {
        problems.push({ file: MANIFEST_FILE_NAME, field: issue.path.join('.') || undefined, message: describeManifestIssue(issue) });
      }
    }
  }
  const json: Record<string, JsonObject | null> = {};
  for (const file of REQUIRED_JSON) json[file] = await readJson(dir, file, problems);
  if (!manifest) return report(null, onnxBytes, {});

  const contract = ARCHITECTURE_CONTRACTS[manifest.architecture];
  const config = json['config.json'];
  if (config && config.model_type !== contract.modelType) {
    problems.push({ file: 'config.json', field: 'model_type', message: `is "${String(config.model_type)}" but the manifest says architecture "${manifest.architecture}" (model_type "${contract.modelType}")` });
  }
  if (manifest.architecture === 'llava') {
    const processorConfig = await readJson(dir, 'processor_config.json', problems);
    if (processorConfig && (typeof processorConfig.image_token !== 'string' || typeof processorConfig.patch_size !== 'number')) {
      problems.push({ file: 'processor_config.json', field: 'image_token, patch_size', message: 'llava bundles need image_token (string) and patch_size (number)' });
    }
  }
  checkChatTemplate(manifest, json['tokenizer_config.json'], problems);

  const sessions: BundleReport['sessions'] = {};
  for (const session of SESSION_NAMES) {
    const result = await validateSession(dir, session, manifest, config, problems);
    if (result) sessions[session] = result;
  }

  if (manifest.declaredTotalBytes < onnxBytes) {
    problems.push({ file: MANIFEST_FILE_NAME, field: 'declaredTotalBytes', message: `declares ${manifest.declaredTotalBytes} bytes but onnx/ holds ${onnxBytes} bytes` });
  }
  const overLimit = manifest.declaredTotalBytes > options.memoryLimitBytes;
  if (overLimit) {
    problems.push({ file: MANIFEST_FILE_NAME, field: 'declaredTotalBytes', message: `the declared size (${manifest.declaredTotalBytes} bytes) exceeds the worker memory limit (${options.memoryLimitBytes} bytes)` });
  }
  const memoryPlan = planBundle(manifest, config, files);
  // Weights and KV cache are needed whatever the device and kernels; the runner checks the full plan
  // (activations, runtime) against its device when it starts (onnx-adapter.ts, docs/decisions/212).
  if (memoryPlan && !overLimit && memoryPlan.weightsBytes + memoryPlan.kvCacheBytes > options.memoryLimitBytes) {
    problems.push({
      file: MANIFEST_FILE_NAME,
      field: 'maxNewTokens',
      message:
        `the weights (${gib(memoryPlan.weightsBytes)}) plus the KV cache for ${memoryPlan.promptTokens} prompt + ${memoryPlan.maxNewTokens} new tokens ` +
        `(${gib(memoryPlan.kvCacheBytes)}) exceed the worker memory limit (${gib(options.memoryLimitBytes)}); use a smaller dtype or fewer maxNewTokens`,
    });
  }
  return { ...report(manifest, onnxBytes, sessions), memoryPlan };
}
