import { describe, expect, it } from 'vitest';
import { declaredExternalDataFiles, externalDataRefs } from '../../evaluator/onnx/graph-checks';
import { externalizeWeights } from '../../evaluator/onnx/fixture/external-data';
import { decoderGraph } from '../../evaluator/onnx/fixture/tiny-vlm-graphs';
import { DEFAULT_TINY_VLM_DIMS } from '../../evaluator/onnx/fixture/make-tiny-vlm';
import { decodeModel, encodeModel } from '../../evaluator/onnx/onnx-proto';

const jsConfig = (use_external_data_format: unknown) => ({ 'transformers.js_config': { use_external_data_format } });

describe('external data chunks declared in config.json (as transformers.js resolves them)', () => {
  it.each([
    [undefined, []],
    [false, []],
    [true, ['decoder_model_merged_fp16.onnx_data']],
    [3, ['decoder_model_merged_fp16.onnx_data', 'decoder_model_merged_fp16.onnx_data_1', 'decoder_model_merged_fp16.onnx_data_2']],
    [{ 'decoder_model_merged_fp16.onnx': 2 }, ['decoder_model_merged_fp16.onnx_data', 'decoder_model_merged_fp16.onnx_data_1']],
    [{ decoder_model_merged: 1 }, ['decoder_model_merged_fp16.onnx_data']],
    [{ 'embed_tokens_fp16.onnx': 4 }, []],
  ])('%j → %j', (format, files) => {
    expect(declaredExternalDataFiles(jsConfig(format), 'decoder_model_merged_fp16.onnx', 'decoder_model_merged')).toEqual(files);
  });

  it('refuses a chunk count transformers.js refuses or cannot read', () => {
    expect(declaredExternalDataFiles(jsConfig(101), 'a.onnx', 'a')).toEqual({ problem: expect.stringMatching(/from 0 to 100/) });
    expect(declaredExternalDataFiles(jsConfig({ 'a.onnx': 1.5 }), 'a.onnx', 'a')).toEqual({ problem: expect.stringMatching(/whole number/) });
    expect(declaredExternalDataFiles(null, 'a.onnx', 'a')).toEqual([]);
  });
});

describe('fixture weights split into external data chunks', () => {
  it('moves every weight of 256+ bytes into balanced chunks whose ranges tile each file', () => {
    const model = decoderGraph(DEFAULT_TINY_VLM_DIMS, 1);
    const { model: split, files } = externalizeWeights(model, 'decoder_model_merged.onnx', 2);
    expect(Object.keys(files)).toEqual(['decoder_model_merged.onnx_data', 'decoder_model_merged.onnx_data_1']);
    const inlineBig = model.graph!.initializer!.filter((t) => (t.raw_data?.length ?? 0) >= 256);
    const refs = externalDataRefs(decodeModel(encodeModel(split)));
    expect(refs.map((r) => r.tensor).sort()).toEqual(inlineBig.map((t) => t.name).sort());
    for (const [name, bytes] of Object.entries(files)) {
      const ranges = refs.filter((r) => r.location === name).sort((a, b) => a.offset - b.offset);
      expect(ranges.reduce((end, r) => (expect(r.offset).toBe(end), end + r.length!), 0)).toBe(bytes.length);
    }
    const [a, b] = Object.values(files).map((f) => f.length);
    expect(Math.abs(a - b)).toBeLessThan(Math.max(a, b) / 2);
    expect(() => externalizeWeights(model, 'x.onnx', 1000)).toThrow(/too few weights/);
  });
});
