import type { Random } from '@driftwatch/drift';

/** The 17 COCO body key points, in COCO order. */
export type OrientationKeypoint =
  | 'nose'
  | 'left_eye'
  | 'right_eye'
  | 'left_ear'
  | 'right_ear'
  | 'left_shoulder'
  | 'right_shoulder'
  | 'left_elbow'
  | 'right_elbow'
  | 'left_wrist'
  | 'right_wrist'
  | 'left_hip'
  | 'right_hip'
  | 'left_knee'
  | 'right_knee'
  | 'left_ankle'
  | 'right_ankle';

/** The key points in COCO order: the order of the templates and of the features. */
export const orientationKeypoints: readonly OrientationKeypoint[] = [
  'nose',
  'left_eye',
  'right_eye',
  'left_ear',
  'right_ear',
  'left_shoulder',
  'right_shoulder',
  'left_elbow',
  'right_elbow',
  'left_wrist',
  'right_wrist',
  'left_hip',
  'right_hip',
  'left_knee',
  'right_knee',
  'left_ankle',
  'right_ankle',
];

export type OrientationFeatureName = `${OrientationKeypoint}_${'x' | 'y'}`;

/** The 34 features, `nose_x, nose_y, left_eye_x, …, right_ankle_y`: a model's input order. */
export const orientationFeatureNames: readonly OrientationFeatureName[] =
  orientationKeypoints.flatMap((point) => [`${point}_x` as const, `${point}_y` as const]);

export type OrientationFeatures = Readonly<Record<OrientationFeatureName, number>>;

/** The two classes. A row's `label` indexes `orientationClasses`: 0 vertical, 1 horizontal. */
export type Orientation = 'vertical' | 'horizontal';

/** The class names by label: `orientationClasses[row.label]`. */
export const orientationClasses: readonly Orientation[] = ['vertical', 'horizontal'];

export type OrientationPosture =
  | 'standing'
  | 'walking'
  | 'sitting'
  | 'crouching'
  | 'kneeling'
  | 'sitting-floor'
  | 'lying-back'
  | 'lying-side'
  | 'push-up';

/** A posture: its class, its share of the common rows, its key points in body units. */
export interface OrientationPostureTemplate {
  readonly orientation: Orientation;
  /** Share of the posture among the rows that are not push-ups (these sum to 1; push-up's is 0). */
  readonly commonShare: number;
  /** [x, y] of each key point in COCO order: x to the body's front, y up from the ground. */
  readonly points: readonly (readonly [number, number])[];
}

/**
 * The postures, as templates of the 17 key points in body units: a standing body is about 1 tall,
 * x runs towards the body's front (side views face +x; the front view's +x is the person's left),
 * y is height above the ground.
 *
 * The orientation is the body's long axis, from the nose to the middle of the ankles: every
 * horizontal template but the push-up has it within 20° of the ground and every vertical one at
 * least 45° from it, so the stream's roll of at most 8° keeps every template on its side of 30°.
 * The push-up is seen head-on: its axis points at the camera, so in the picture it stands up.
 *
 * Vertical, and `commonShare` of the rows that are not push-ups:
 * - `standing` (20%): front view, arms hanging.
 * - `walking` (20%): side view, mid-stride, arms swinging against the legs.
 * - `sitting` (15%): side view on a chair: thighs level, shins and torso upright.
 * - `crouching` (10%): a deep squat reaching for the floor, hands on it in front of the toes.
 * - `kneeling` (5%): upright on the knees, shins flat behind.
 * - `sitting-floor` (5%): upright on the floor, legs stretched out, hands on the floor by the hips.
 *
 * Horizontal:
 * - `lying-back` (12.5%): side view, face up, arms along the body: a long, flat box (width : height 6 : 1).
 * - `lying-side` (12.5%): seen from the front of a body lying on its left side, so left and right
 *   are stacked; the lower arm reaches past the head, the upper one rests on the hip (4.4 : 1).
 * - `push-up` (0%: the stream sets its share): a high plank seen head-on from low in front, the
 *   body pointing at the camera. The crop is about square and the nose-to-ankles axis stands up,
 *   as an upright body's does; straight arms spread from the shoulders to the floor, and the hips,
 *   knees and ankles, farther away, show small and high between them. No common posture looks
 *   like it, so it falls where a reference with few push-ups is sparse, and only labeled push-ups
 *   teach a model its class.
 *
 * @example
 * ```ts
 * orientationPostures['push-up'].orientation; // => "horizontal"
 * orientationPostures.sitting.points.length; // => 17
 * const postures = Object.values(orientationPostures);
 * postures.reduce((sum, posture) => sum + posture.commonShare, 0); // => 1
 * ```
 */
export const orientationPostures: Readonly<Record<OrientationPosture, OrientationPostureTemplate>> =
  {
    standing: {
      orientation: 'vertical',
      commonShare: 0.2,
      points: [
        [0, 0.93], // nose
        [0.03, 0.95], // left eye
        [-0.03, 0.95], // right eye
        [0.07, 0.94], // left ear
        [-0.07, 0.94], // right ear
        [0.13, 0.82], // left shoulder
        [-0.13, 0.82], // right shoulder
        [0.16, 0.63], // left elbow
        [-0.16, 0.63], // right elbow
        [0.17, 0.46], // left wrist
        [-0.17, 0.46], // right wrist
        [0.08, 0.52], // left hip
        [-0.08, 0.52], // right hip
        [0.08, 0.28], // left knee
        [-0.08, 0.28], // right knee
        [0.08, 0.04], // left ankle
        [-0.08, 0.04], // right ankle
      ],
    },
    walking: {
      orientation: 'vertical',
      commonShare: 0.2,
      points: [
        [0.07, 0.92],
        [0.055, 0.945],
        [0.045, 0.945],
        [-0.01, 0.93],
        [-0.02, 0.93],
        [0, 0.81],
        [-0.01, 0.81],
        [-0.07, 0.63],
        [0.07, 0.63],
        [-0.12, 0.48],
        [0.14, 0.49],
        [0, 0.51],
        [-0.01, 0.51],
        [0.1, 0.28],
        [-0.07, 0.28],
        [0.14, 0.04],
        [-0.2, 0.07],
      ],
    },
    sitting: {
      orientation: 'vertical',
      commonShare: 0.15,
      points: [
        [0.06, 0.68],
        [0.045, 0.7],
        [0.035, 0.7],
        [-0.02, 0.69],
        [-0.03, 0.69],
        [-0.02, 0.57],
        [-0.03, 0.57],
        [0, 0.39],
        [-0.01, 0.39],
        [0.16, 0.31],
        [0.15, 0.31],
        [0, 0.27],
        [-0.01, 0.27],
        [0.24, 0.28],
        [0.23, 0.28],
        [0.22, 0.04],
        [0.21, 0.04],
      ],
    },
    crouching: {
      orientation: 'vertical',
      commonShare: 0.1,
      points: [
        [0.27, 0.47],
        [0.26, 0.5],
        [0.25, 0.5],
        [0.19, 0.5],
        [0.18, 0.5],
        [0.13, 0.39],
        [0.12, 0.39],
        [0.21, 0.21],
        [0.2, 0.21],
        [0.27, 0.03],
        [0.26, 0.03],
        [-0.1, 0.2],
        [-0.11, 0.2],
        [0.16, 0.3],
        [0.15, 0.3],
        [0, 0.04],
        [-0.01, 0.04],
      ],
    },
    kneeling: {
      orientation: 'vertical',
      commonShare: 0.05,
      points: [
        [0.07, 0.71],
        [0.055, 0.73],
        [0.045, 0.73],
        [-0.01, 0.72],
        [-0.02, 0.72],
        [0, 0.6],
        [-0.01, 0.6],
        [0.01, 0.42],
        [0, 0.42],
        [0.04, 0.26],
        [0.03, 0.26],
        [0, 0.3],
        [-0.01, 0.3],
        [0, 0.04],
        [-0.01, 0.04],
        [-0.26, 0.03],
        [-0.27, 0.03],
      ],
    },
    'sitting-floor': {
      orientation: 'vertical',
      commonShare: 0.05,
      points: [
        [0.04, 0.5],
        [0.035, 0.52],
        [0.025, 0.52],
        [-0.03, 0.51],
        [-0.04, 0.51],
        [-0.04, 0.38],
        [-0.05, 0.38],
        [-0.03, 0.22],
        [-0.04, 0.22],
        [-0.02, 0.05],
        [-0.03, 0.05],
        [0, 0.08],
        [-0.01, 0.08],
        [0.24, 0.1],
        [0.23, 0.1],
        [0.48, 0.05],
        [0.47, 0.05],
      ],
    },
    'lying-back': {
      orientation: 'horizontal',
      commonShare: 0.125,
      points: [
        [0.43, 0.2],
        [0.42, 0.18],
        [0.42, 0.17],
        [0.39, 0.12],
        [0.38, 0.11],
        [0.3, 0.11],
        [0.3, 0.1],
        [0.14, 0.08],
        [0.14, 0.07],
        [0, 0.07],
        [0, 0.06],
        [0, 0.1],
        [0, 0.09],
        [-0.24, 0.1],
        [-0.24, 0.09],
        [-0.48, 0.06],
        [-0.48, 0.05],
      ],
    },
    'lying-side': {
      orientation: 'horizontal',
      commonShare: 0.125,
      points: [
        [0.44, 0.2],
        [0.43, 0.17],
        [0.43, 0.23],
        [0.4, 0.12],
        [0.4, 0.29],
        [0.3, 0.08],
        [0.3, 0.3],
        [0.45, 0.06],
        [0.15, 0.3],
        [0.6, 0.07],
        [0.02, 0.24],
        [0, 0.12],
        [0, 0.2],
        [-0.22, 0.1],
        [-0.22, 0.2],
        [-0.45, 0.08],
        [-0.45, 0.16],
      ],
    },
    'push-up': {
      orientation: 'horizontal',
      commonShare: 0,
      // Head-on, the camera low in front: the body points at it, so hips, knees and ankles,
      // farther away, show small and high behind the shoulders, between straight arms.
      points: [
        [0, 0.4],
        [0.03, 0.43],
        [-0.03, 0.43],
        [0.07, 0.42],
        [-0.07, 0.42],
        [0.17, 0.35],
        [-0.17, 0.35],
        [0.2, 0.18],
        [-0.2, 0.18],
        [0.2, 0],
        [-0.2, 0],
        [0.09, 0.3],
        [-0.09, 0.3],
        [0.08, 0.2],
        [-0.08, 0.2],
        [0.06, 0.13],
        [-0.06, 0.13],
      ],
    },
  };

const xNames = orientationKeypoints.map((point) => `${point}_x` as const);
const yNames = orientationKeypoints.map((point) => `${point}_y` as const);

/** Left/right partners by COCO index, for mirroring a template: the nose is its own. */
const mirrorOf: readonly number[] = [0, 2, 1, 4, 3, 6, 5, 8, 7, 10, 9, 12, 11, 14, 13, 16, 15];

// The crop's geometry: each row draws its mirror and roll; the crop takes away scale and place.
const ROLL_DEGREES = 8;
const MARGIN = 0.05;
/** Standard deviation of each coordinate's jitter, in standing-body heights. */
const JITTER = 0.03;

/**
 * One picture of `posture` as a pose classifier sees it: the key points in the person's crop (x
 * right, y down, both in [0, 1] but for jitter at the edges), from exactly 36 draws of `random`, in
 * order: the template mirrored (left and right swapped) half the time, rolled by up to ±8°, then
 * each coordinate moved by Gaussian jitter of standard deviation 0.03 body heights (Box–Muller, one
 * pair of draws per key point). The crop is the body's box before jitter, squared on its longer
 * side with the body centred across it and standing on its bottom, inside a 0.05 margin: what a
 * person detector's box, padded square and resized, gives a key-point model. So how large the person
 * was and where in the picture is gone, as it is in such pipelines, and what is left is the posture
 * and the box's shape: a horizontal body is wide and low in its crop, a vertical one tall.
 */
export function drawPose(posture: OrientationPosture, random: Random): OrientationFeatures {
  const template = orientationPostures[posture].points;
  const mirrored = random() < 0.5;
  const roll = ((2 * random() - 1) * ROLL_DEGREES * Math.PI) / 180;
  const [cos, sin] = [Math.cos(roll), Math.sin(roll)];
  // Body units, y down as in an image, so a template's height becomes −y.
  const xs = new Float64Array(17);
  const ys = new Float64Array(17);
  let [left, right, top, bottom] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let k = 0; k < 17; k++) {
    const [x, y] = template[mirrored ? (mirrorOf[k] ?? k) : k] ?? [0, 0];
    const bodyX = mirrored ? -x : x;
    const bodyY = -y;
    const [imageX, imageY] = [cos * bodyX - sin * bodyY, sin * bodyX + cos * bodyY];
    [xs[k], ys[k]] = [imageX, imageY];
    [left, right, top, bottom] = [
      Math.min(left, imageX),
      Math.max(right, imageX),
      Math.min(top, imageY),
      Math.max(bottom, imageY),
    ];
  }
  const side = Math.max(right - left, bottom - top);
  const unit = (1 - 2 * MARGIN) / side;
  const centreX = (left + right) / 2;
  const features: Partial<Record<OrientationFeatureName, number>> = {};
  for (let k = 0; k < 17; k++) {
    // Box–Muller: 1 − u keeps the logarithm finite, as u may be 0.
    const radius = JITTER * Math.sqrt(-2 * Math.log(1 - random()));
    const angle = 2 * Math.PI * random();
    const x = (xs[k] ?? 0) + radius * Math.cos(angle);
    const y = (ys[k] ?? 0) + radius * Math.sin(angle);
    features[xNames[k] ?? 'nose_x'] = 0.5 + (x - centreX) * unit;
    features[yNames[k] ?? 'nose_y'] = 1 - MARGIN - (bottom - y) * unit;
  }
  return features as OrientationFeatures;
}
