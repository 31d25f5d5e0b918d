import { describe, expect, it } from 'vitest';
import { ARCHITECTURE_CONTRACTS } from '../../evaluator/onnx/architectures';
import { checkKvCache, checkOperatorDomains, checkSessionIO, isSafeRelativeLocation } from '../../evaluator/onnx/graph-checks';
import { decoderGraph, visionEncoderGraph } from '../../evaluator/onnx/fixture/tiny-vlm-graphs';
import { DEFAULT_TINY_VLM_DIMS } from '../../evaluator/onnx/fixture/make-tiny-vlm';
import type { Model } from '../../evaluator/onnx/onnx-proto';

const decoder = () => decoderGraph(DEFAULT_TINY_VLM_DIMS, 1);
const FILE = 'onnx/decoder_model_merged.onnx';

describe('operator domains', () => {
  it('accepts the standard and ONNX Runtime built-in domains', () => {
    const model = decoder();
    model.opset_import!.push({ domain: 'com.microsoft', version: 1 });
    model.graph!.node![0].domain = 'com.microsoft';
    expect(checkOperatorDomains(FILE, model)).toEqual([]);
  });

  it('refuses a custom-op domain in opset_import and on a node, naming the node', () => {
    const model = decoder();
    model.opset_import!.push({ domain: 'ai.onnx.contrib', version: 1 });
    model.graph!.node![3] = { ...model.graph!.node![3], domain: 'ai.onnx.contrib', op_type: 'StringRegexReplace', name: 'evil' };
    const problems = checkOperatorDomains(FILE, model);
    expect(problems.map((p) => p.field)).toEqual(['opset_import "ai.onnx.contrib"', 'node "evil"']);
    expect(problems[1].message).toMatch(/ai\.onnx\.contrib\.StringRegexReplace is a custom op/);
  });

  it('finds a custom op hidden in a control-flow subgraph', () => {
    const model = decoderGraph(DEFAULT_TINY_VLM_DIMS, 1, 'hang');
    const loop = model.graph!.node!.find((n) => n.op_type === 'Loop')!;
    loop.attribute![0].g!.node![1].domain = 'com.example';
    expect(checkOperatorDomains(FILE, model).map((p) => p.message)).toEqual([expect.stringMatching(/com\.example\.Add is a custom op/)]);
  });

  it('accepts a model-local function but checks its body', () => {
    const model: Model = {
      ...decoder(),
      functions: [{ name: 'MyGelu', domain: 'local', opset_import: [{ domain: '', version: 17 }], node: [{ op_type: 'Tanh', domain: '' }] }],
    };
    model.opset_import!.push({ domain: 'local', version: 1 });
    model.graph!.node![0] = { ...model.graph!.node![0], op_type: 'MyGelu', domain: 'local' };
    expect(checkOperatorDomains(FILE, model)).toEqual([]);
    model.functions![0].node![0].domain = 'com.example';
    expect(checkOperatorDomains(FILE, model)).toHaveLength(1);
  });
});

describe('graph inputs and outputs against the architecture', () => {
  it('accepts the fixture decoder and vision encoder for llava', () => {
    expect(checkSessionIO(FILE, 'decoder_model_merged', decoder(), ARCHITECTURE_CONTRACTS.llava.sessions.decoder_model_merged)).toEqual([]);
    const vision = visionEncoderGraph(DEFAULT_TINY_VLM_DIMS, 1);
    expect(checkSessionIO('onnx/vision_encoder.onnx', 'vision_encoder', vision, ARCHITECTURE_CONTRACTS.llava.sessions.vision_encoder)).toEqual([]);
  });

  it('requires image_grid_thw for a qwen2_5_vl vision encoder', () => {
    const vision = visionEncoderGraph(DEFAULT_TINY_VLM_DIMS, 1);
    const problems = checkSessionIO('onnx/vision_encoder.onnx', 'vision_encoder', vision, ARCHITECTURE_CONTRACTS.qwen2_5_vl.sessions.vision_encoder);
    expect(problems).toEqual([expect.objectContaining({ field: 'input "image_grid_thw"' })]);
  });

  it('reports a renamed input as missing and unexpected', () => {
    const model = decoder();
    model.graph!.input!.find((i) => i.name === 'attention_mask')!.name = 'attn_mask';
    const fields = checkSessionIO(FILE, 'decoder_model_merged', model, ARCHITECTURE_CONTRACTS.llava.sessions.decoder_model_merged).map((p) => p.field);
    expect(fields).toEqual(['input "attention_mask"', 'input "attn_mask"']);
  });
});

describe('KV cache', () => {
  it('accepts the fixture cache and checks the layer count against config.json', () => {
    expect(checkKvCache(FILE, decoder(), 2)).toEqual([]);
    expect(checkKvCache(FILE, decoder(), 3)[0].message).toMatch(/2 layers but config.json declares 3/);
  });

  it('reports a missing present output and a fixed past length', () => {
    const model = decoder();
    model.graph!.output = model.graph!.output!.filter((o) => o.name !== 'present.1.value');
    model.graph!.input!.find((i) => i.name === 'past_key_values.0.key')!.type!.tensor_type!.shape!.dim![2] = { dim_value: 16 };
    const fields = checkKvCache(FILE, model, 2).map((p) => p.field);
    expect(fields).toEqual(['input "past_key_values.0.key"', 'output "present.1.value"']);
  });
});

describe('external data locations', () => {
  it.each([
    ['model.onnx_data', true],
    ['weights/part1.bin', true],
    ['../model.onnx_data', false],
    ['/etc/passwd', false],
    ['a/../../b', false],
    ['..\\b', false],
    ['', false],
  ])('%s → %s', (location, safe) => {
    expect(isSafeRelativeLocation(location)).toBe(safe);
  });
});
