import { z } from 'zod';

/**
 * The detector settings a false-alarm calibration depends on: the budget, and the options of the
 * rules it calibrates (their windows, which are on, how they re-arm). A detector adopts a
 * version's stored calibration only when its own settings are these, field for field.
 */
export const alarmSettingsSchema = z.object({
  /** The budget: events (labeled predictions for concept rules) between false alarms of a rule. */
  falseAlarmEvery: z.number().int().positive(),
  concept: z.object({
    conceptDetector: z.enum(['adwin', 'fhddm', 'fhddms', 'hddm-a']),
    adwinCooldown: z.number().int().nonnegative(),
    window: z.number().int().positive(),
    blockSize: z.number().int().positive(),
    /** 0: the block-accuracy rule is off. */
    blockAccuracyThreshold: z.number().min(0).max(1),
    /** 0: the window-accuracy floor is off. */
    accuracyThreshold: z.number().min(0).max(1),
    rearmMargin: z.number().min(0).max(1),
  }),
  data: z.object({
    window: z.number().int().positive(),
    rearmRatio: z.number().min(0).max(1),
    /** 0: KS is off. */
    ksAlpha: z.number().min(0).max(0.5),
    /** 0: the CBPE floor is off. */
    cbpeMaxDrop: z.number().min(0).max(1),
    cbpeRearmMargin: z.number().min(0).max(1),
  }),
});
export type AlarmSettings = z.infer<typeof alarmSettingsSchema>;

/**
 * A rule calibrated to a false-alarm budget: its threshold (or parameter), and the mean run
 * length between false alarms the simulation measured there, in the events the rule counts.
 */
export const calibratedRuleSchema = z.object({
  threshold: z.number(),
  expectedRunLength: z.number().positive(),
});
export type CalibratedRule = z.infer<typeof calibratedRuleSchema>;

/** A version's concept rules, calibrated on its holdout accuracy. */
export const conceptCalibrationSchema = z.object({
  /** The budget: labeled predictions between false alarms of each rule, on average. */
  eventsPerAlarm: z.number().int().positive(),
  /** The error-stream rule's parameter (ADWIN's or FHDDM's δ, HDDM_A's drift confidence). */
  errorStream: calibratedRuleSchema,
  /** Null when the rule is off, or cannot vary (raw threshold). */
  blockAccuracy: calibratedRuleSchema.nullable(),
  windowAccuracy: calibratedRuleSchema.nullable(),
});
export type ConceptCalibration = z.infer<typeof conceptCalibrationSchema>;

/** A version's data rules, calibrated on its reference profile. */
export const dataCalibrationSchema = z.object({
  /** The budget: predictions between false alarms of each rule, on average. */
  eventsPerAlarm: z.number().int().positive(),
  /**
   * Each PSI track's threshold, by track name (a feature, `<score>`, `<score:class>`, and
   * `<clusters>` for cluster occupancy); a track missing here cannot vary (one bin) and keeps the
   * raw threshold.
   */
  psi: z.record(z.string(), calibratedRuleSchema),
  /** The KS test's significance level; null when the test is off. */
  ks: calibratedRuleSchema.nullable(),
  /** The floor of CBPE's estimated accuracy; null without a calibration or with the rule off. */
  cbpe: calibratedRuleSchema.nullable(),
  /**
   * How many reference σ the window's mean reconstruction error may stray from the reference's
   * mean (the raw rule's 3); null without a reconstruction reference, and in calibrations
   * written before.
   */
  reconstruction: calibratedRuleSchema.nullable().default(null),
});
export type DataCalibration = z.infer<typeof dataCalibrationSchema>;

/**
 * Every alerting rule of a version calibrated to a false-alarm budget when it was trained or
 * registered, under the settings it names.
 */
export const alarmCalibrationSchema = z.object({
  settings: alarmSettingsSchema,
  /** Null for a version whose holdout measured no accuracy strictly between 0 and 1. */
  concept: conceptCalibrationSchema.nullable(),
  data: dataCalibrationSchema,
});
export type AlarmCalibration = z.infer<typeof alarmCalibrationSchema>;
