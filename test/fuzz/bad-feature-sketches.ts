import { encodeFeatureSketch, featureSketchesOf, type Prediction } from '@driftwatch/topics';

/** Ways a feature sketch record is bad; every one fails `decodeFeatureSketch`. */
export type BadSketchKind =
  | 'random-bytes'
  | 'empty'
  | 'truncated'
  | 'extended'
  | 'header-past-end'
  | 'truncated-json'
  | 'wrong-type'
  | 'duplicate-feature';

/** The sketch of one good prediction of `sea` v1. */
export function goodFeatureSketch(prediction: Prediction): Buffer {
  return encodeFeatureSketch(featureSketchesOf([prediction])[0]!);
}

/** A record in the sketch layout with this header text and this many column bytes. */
function layout(header: string, columnBytes: number, random: () => number): Buffer {
  const text = Buffer.from(header);
  const bytes = Buffer.alloc(5 + text.length + columnBytes);
  bytes.writeUInt8(1, 0);
  bytes.writeUInt32BE(text.length, 1);
  text.copy(bytes, 5);
  for (let i = 5 + text.length; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
  return bytes;
}

/**
 * `count` bad sketch records, kinds in turn, from a seeded `random`: as inference would never
 * write them, but as a broken or hostile producer to the topic could.
 */
export function badFeatureSketches(
  count: number,
  random: () => number,
  good: Buffer,
): { kind: BadSketchKind; value: Buffer | null }[] {
  const kinds: BadSketchKind[] = [
    'random-bytes',
    'empty',
    'truncated',
    'extended',
    'header-past-end',
    'truncated-json',
    'wrong-type',
    'duplicate-feature',
  ];
  const header = (fields: Record<string, unknown>): string =>
    JSON.stringify({
      model: 'sea',
      modelVersion: 1,
      rows: 1,
      classes: 0,
      features: ['x1'],
      ...fields,
    });
  const wrongTypes = [
    { modelVersion: 0 },
    { rows: -1 },
    { rows: 'many' },
    { classes: 1.5 },
    { model: '' },
    { features: 'x1' },
    { features: [7] },
  ];
  return Array.from({ length: count }, (_, i) => {
    const kind = kinds[i % kinds.length]!;
    const pick = (n: number): number => Math.floor(random() * n);
    switch (kind) {
      case 'random-bytes': {
        const bytes = Buffer.from(Array.from({ length: 1 + pick(200) }, () => pick(256)));
        if (bytes[0] === 1) bytes[0] = 2;
        return { kind, value: bytes };
      }
      case 'empty':
        return { kind, value: pick(2) === 0 ? null : Buffer.alloc(0) };
      case 'truncated':
        return { kind, value: good.subarray(0, pick(good.length)) };
      case 'extended':
        return { kind, value: Buffer.concat([good, Buffer.alloc(1 + pick(64))]) };
      case 'header-past-end': {
        const bytes = Buffer.from(good);
        bytes.writeUInt32BE(good.length + pick(2 ** 31), 1);
        return { kind, value: bytes };
      }
      case 'truncated-json': {
        const text = header({});
        return { kind, value: layout(text.slice(0, pick(text.length - 1)), 24, random) };
      }
      case 'wrong-type':
        return { kind, value: layout(header(wrongTypes[pick(wrongTypes.length)]!), 24, random) };
      case 'duplicate-feature':
        return { kind, value: layout(header({ features: ['x1', 'x1'] }), 32, random) };
    }
  });
}
