import type onnxProto from 'onnx-proto';

import { longToNumber } from './long-to-number.js';

/**
 * A graph input or output as Python's onnxruntime reports it (`session.get_inputs()`), so what
 * the CLI prints and what a user sees in Python read the same: `type` such as `tensor(float)` or
 * `seq(map(int64,tensor(float)))`, and `shape` with a number for a fixed dimension, the symbol for
 * a named one (`"batch"`) and `null` for an unnamed one.
 */
export interface OnnxValueDescription {
  readonly name: string;
  readonly type: string;
  readonly shape: readonly (number | string | null)[];
}

/** ONNX `TensorProto.DataType` numbers by the names onnxruntime prints. */
const ELEMENT_TYPES: Readonly<Record<number, string>> = {
  1: 'float',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'double',
  12: 'uint32',
  13: 'uint64',
  14: 'complex64',
  15: 'complex128',
  16: 'bfloat16',
};

function elementTypeName(elemType: number | null | undefined): string {
  return ELEMENT_TYPES[elemType ?? 0] ?? `unknown(${String(elemType)})`;
}

/** Describes one `ValueInfoProto` (see `OnnxValueDescription`). */
export function describeOnnxValue(value: onnxProto.onnx.IValueInfoProto): OnnxValueDescription {
  const type = value.type ?? undefined;
  const dims = type?.tensorType?.shape?.dim ?? [];
  return {
    name: value.name ?? '',
    type: typeName(type),
    shape: dims.map((dim) => {
      const size = longToNumber(dim.dimValue as unknown);
      if (size !== undefined && size > 0) return size;
      return dim.dimParam ? dim.dimParam : null;
    }),
  };
}

/** `name type [d0, d1]`, with `?` for an unnamed dimension: one refusal names many of these. */
export function formatOnnxValue(value: OnnxValueDescription): string {
  if (value.shape.length === 0) return `${value.name} ${value.type}`;
  return `${value.name} ${value.type} [${value.shape.map((d) => (d === null ? '?' : d)).join(', ')}]`;
}

function typeName(type: onnxProto.onnx.ITypeProto | undefined): string {
  if (!type) return 'unknown';
  if (type.tensorType) return `tensor(${elementTypeName(type.tensorType.elemType)})`;
  if (type.sequenceType) return `seq(${typeName(type.sequenceType.elemType ?? undefined)})`;
  if (type.mapType) {
    return `map(${elementTypeName(type.mapType.keyType)},${typeName(type.mapType.valueType ?? undefined)})`;
  }
  if (type.optionalType) return `optional(${typeName(type.optionalType.elemType ?? undefined)})`;
  if (type.sparseTensorType) {
    return `sparse_tensor(${elementTypeName(type.sparseTensorType.elemType)})`;
  }
  return 'unknown';
}
