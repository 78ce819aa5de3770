import type { ClassesSource } from './classifier-interpretation.js';
import type { ProbabilityOutput } from './choose-probability-output.js';
import { formatOnnxValue } from './describe-onnx-value.js';
import { ModelError } from './errors.js';
import { formatList } from './format-list.js';
import { isUniqueNames } from './is-unique-names.js';
import { METADATA_CLASSES } from './onnx-layout.js';
import type { ClassifierGraph } from './read-classifier-graph.js';

export interface ClassLabels {
  readonly classes: readonly string[];
  readonly classesSource: ClassesSource;
}

/**
 * Names the classes, in the order of the probabilities, first found: `hinted`; the model's
 * `driftwatch.classes` metadata; the labels on the ZipMap node read, else the labels that the
 * graph's classifier nodes agree on; `0 … K-1`. Metadata comes before node labels because a
 * training program that encodes its labels as indices (train.py does) leaves only `0 … K-1` on
 * the classifier node and writes the real names in metadata.
 *
 * Any list used must count K labels, K being the width of the probabilities (2 for an [N, 1]
 * output), or the model is refused (`DW_MODEL_CLASS_MISMATCH`).
 */
export function resolveClassLabels(
  graph: ClassifierGraph,
  chosen: ProbabilityOutput,
  hinted: readonly string[] | undefined,
): ClassLabels {
  const count = chosen.classCount;
  const what =
    chosen.kind === 'single'
      ? `one [N, 1] value, so 2 classes (${formatOnnxValue(chosen.output)})`
      : `${count} class probabilities (${formatOnnxValue(chosen.output)})`;
  const counted = (
    classes: readonly string[],
    given: (count: number) => string,
  ): readonly string[] => {
    if (classes.length !== count) {
      throw new ModelError(
        'DW_MODEL_CLASS_MISMATCH',
        `the model outputs ${what} but ${given(classes.length)}: ${formatList(classes)}`,
        { details: { expected: count, given: classes.length } },
      );
    }
    return classes;
  };

  if (hinted)
    return { classes: counted(hinted, (n) => `${n} classes were given`), classesSource: 'hint' };
  const fromMetadata = metadataClasses(graph.metadata);
  if (fromMetadata) {
    return {
      classes: counted(fromMetadata, (n) => `its ${METADATA_CLASSES} metadata lists ${n}`),
      classesSource: 'metadata',
    };
  }
  if (chosen.zipMap) {
    return {
      classes: unique(chosen.zipMap.labels, `its ZipMap node ${chosen.zipMap.nodeName}`),
      classesSource: 'model',
    };
  }
  const lists = new Map<string, { labels: readonly string[]; nodes: string[] }>();
  for (const node of graph.classLabelNodes) {
    if (node.labels.length !== count) continue;
    const key = JSON.stringify(node.labels);
    const entry = lists.get(key) ?? { labels: node.labels, nodes: [] };
    entry.nodes.push(`${node.opType} ${node.nodeName}`.trim());
    lists.set(key, entry);
  }
  if (lists.size > 1) {
    const described = [...lists.values()].map(
      ({ labels, nodes }) => `${nodes.join(', ')}: ${formatList(labels)}`,
    );
    throw new ModelError(
      'DW_MODEL_CLASS_MISMATCH',
      `the model's nodes list different classes (${described.join('; ')}); give the classes`,
    );
  }
  const [agreed] = lists.values();
  if (agreed) {
    return {
      classes: unique(agreed.labels, `its node ${agreed.nodes[0] ?? ''}`),
      classesSource: 'model',
    };
  }
  return {
    classes: Array.from({ length: count }, (_, index) => String(index)),
    classesSource: 'default',
  };
}

function unique(labels: readonly string[], where: string): readonly string[] {
  if (!isUniqueNames(labels)) {
    throw new ModelError(
      'DW_MODEL_CLASS_MISMATCH',
      `${where} lists class labels that are empty or repeated: ${formatList(labels)}`,
    );
  }
  return labels;
}

/** `driftwatch.classes`: a JSON array of names or integers, kept as text. */
function metadataClasses(metadata: Readonly<Record<string, string>>): string[] | undefined {
  const json = metadata[METADATA_CLASSES];
  if (json === undefined) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new ModelError(
      'DW_MODEL_CLASS_MISMATCH',
      `the model's ${METADATA_CLASSES} metadata is not JSON: ${json.slice(0, 80)}`,
      { cause: error },
    );
  }
  const classes = Array.isArray(parsed)
    ? parsed.map((label) =>
        typeof label === 'string' || Number.isSafeInteger(label) ? String(label) : '',
      )
    : undefined;
  if (!isUniqueNames(classes)) {
    throw new ModelError(
      'DW_MODEL_CLASS_MISMATCH',
      `the model's ${METADATA_CLASSES} metadata must be a JSON array of unique names or integers, got ${json.slice(0, 80)}`,
    );
  }
  return classes;
}
