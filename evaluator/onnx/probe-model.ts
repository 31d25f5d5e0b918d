/** The smallest graph a session can open: one Identity node; used to prove an execution provider works. */
import { encodeModel, TensorDataType } from './onnx-proto';

export function identityProbeModel(): Uint8Array {
  const io = (name: string) => ({ name, type: { tensor_type: { elem_type: TensorDataType.FLOAT, shape: { dim: [{ dim_value: 1 }] } } } });
  return encodeModel({
    ir_version: 8,
    opset_import: [{ domain: '', version: 17 }],
    graph: { name: 'probe', node: [{ op_type: 'Identity', input: ['x'], output: ['y'] }], input: [io('x')], output: [io('y')] },
  });
}
