import onnxProto from 'onnx-proto';

import { ModelError } from './errors.js';

const { onnx } = onnxProto;

/**
 * Re-encodes a model without the ZipMap node that makes output `zipMapOutput`, putting the node's
 * input, the float [N, K] probabilities it turns into a sequence of maps, in the output's place.
 *
 * onnxruntime-node cannot return non-tensor outputs ("Non tensor type is temporarily not
 * supported"), and a ZipMap only copies its input's floats into maps keyed by class, so reading
 * the tensor gives the same probabilities bit for bit. Everything else in the model is kept as
 * decoded, including the duplicate default-domain opset entry skl2onnx writes.
 */
export function removeZipMap(bytes: Uint8Array, zipMapOutput: string): Uint8Array {
  const proto = onnx.ModelProto.decode(bytes);
  const graph = proto.graph;
  const nodes = graph?.node ?? [];
  const index = nodes.findIndex(
    (node) => node.opType === 'ZipMap' && node.output?.includes(zipMapOutput),
  );
  const zipMap = nodes[index];
  const probabilities = zipMap?.input?.[0];
  if (!graph || !zipMap || !probabilities) {
    throw new ModelError(
      'DW_MODEL_UNINTERPRETABLE',
      `cannot interpret the model's outputs: no ZipMap node makes output ${zipMapOutput}`,
    );
  }
  const labels = zipMap.attribute?.find((attribute) => attribute.name?.startsWith('classlabels_'));
  const classCount = Math.max(labels?.ints?.length ?? 0, labels?.strings?.length ?? 0);
  graph.node = nodes.filter((node) => node !== zipMap);
  const outputs = graph.output ?? [];
  const alreadyOutput = outputs.some((output) => output.name === probabilities);
  graph.output = outputs.flatMap((output) => {
    if (output.name !== zipMapOutput) return [output];
    if (alreadyOutput) return [];
    return [
      onnx.ValueInfoProto.create({
        name: probabilities,
        type: {
          tensorType: {
            // ZipMap accepts only float input, and one column per class label.
            elemType: onnx.TensorProto.DataType.FLOAT,
            shape: { dim: [{}, classCount > 0 ? { dimValue: classCount } : {}] },
          },
        },
      }),
    ];
  });
  return onnx.ModelProto.encode(proto).finish();
}
