import { PsiReference } from '@driftwatch/drift';
import type { BinnedDistribution, ReferenceProfile } from '@driftwatch/topics';

/** Where a track's values come from in a prediction. */
export type DataRuleTrackSource =
  | { of: 'feature'; feature: string }
  | { of: 'score' }
  | { of: 'class-probability'; className: string; index: number };

/** One distribution the data rules watch, with its reference bins. */
export interface DataRuleTrack {
  /** A feature's name, `<score>`, or `<score:class>`: as the PSI gauge labels it. */
  name: string;
  source: DataRuleTrackSource;
  profile: BinnedDistribution;
  bins: PsiReference;
}

export const scoreTrackName = '<score>';

/** The track of a class's probability, named as the PSI gauge labels it. */
export function classProbabilityTrackName(className: string): string {
  return `<score:${className}>`;
}

/**
 * The tracks a version's data rules watch: each feature, the binary score, each class's
 * probability. The detector watches them and the calibration names its thresholds by them, so a
 * stored calibration finds its track.
 */
export function dataRuleTracks(reference: ReferenceProfile): DataRuleTrack[] {
  const sources: { profile: BinnedDistribution; source: DataRuleTrackSource; name: string }[] = [
    ...reference.features.map((profile) => ({
      profile,
      source: { of: 'feature', feature: profile.name } as const,
      name: profile.name,
    })),
    ...(reference.score
      ? [{ profile: reference.score, source: { of: 'score' } as const, name: scoreTrackName }]
      : []),
    ...reference.classProbabilities.map((profile, index) => ({
      profile,
      source: { of: 'class-probability', className: profile.name, index } as const,
      name: classProbabilityTrackName(profile.name),
    })),
  ];
  return sources.map((track) => ({
    ...track,
    bins: PsiReference.fromJSON({
      kind: 'numeric',
      edges: [...track.profile.edges],
      proportions: [...track.profile.proportions],
    }),
  }));
}
