/**
 * The stream processor's runtime configuration: one JSON environment variable (`PROCESSOR_SETTINGS`) the streaming
 * stack writes and the processor parses at start. It holds the settings derived from the environment config (what the
 * local run uses too) and the resources the deployed function writes to. The construct builds the variable from
 * the schema's input type, so a stack that writes a wrong or missing key does not compile.
 */
import * as z from 'zod/mini';
import { parseJsonConfig } from './config-parse';
import { STREAM_NAMES } from './events';

export const PROCESSOR_SETTINGS_VARIABLE = 'PROCESSOR_SETTINGS';

/**
 * Fewest orders a batch must hold before the robust amount outlier applies: below five, the median absolute
 * deviation of the batch rests on one or two values and flags ordinary baskets. The environment config uses the
 * same floor.
 */
export const MAD_MIN_SAMPLES_FLOOR = 5;

const bucketName = z.string().check(z.minLength(3));

export const processorSettingsSchema = z.strictObject({
  /** Environment name, shown in alert subjects. */
  environment: z.string().check(z.minLength(1)),
  /** Physical Kinesis stream name → logical stream. */
  streams: z.record(z.string().check(z.minLength(1)), z.enum(STREAM_NAMES)),
  currencies: z.array(z.string().check(z.regex(/^[A-Z]{3}$/))).check(z.minLength(1)),
  /** Orders above this amount are counted as high-value (not an anomaly). */
  highValueAmount: z.number().check(z.gt(0)),
  anomaly: z.strictObject({
    highAmount: z.number().check(z.gt(0)),
    madZThreshold: z.number().check(z.gt(0)),
    madMinSamples: z.int().check(z.gte(MAD_MIN_SAMPLES_FLOOR)),
    velocityMaxOrders: z.int().check(z.gte(1)),
    maxClockSkewSeconds: z.number().check(z.gte(0)),
    maxLatenessSeconds: z.number().check(z.gt(0)),
  }),
});

/** The settings derived from the environment config. */
export type ProcessorSettingsInput = z.input<typeof processorSettingsSchema>;
export type ProcessorSettings = z.output<typeof processorSettingsSchema>;
export type AnomalyConfig = ProcessorSettings['anomaly'];

/** Where the deployed processor writes: its two lake zones and the topic of the anomaly summaries. */
export const processorResourcesSchema = z.strictObject({
  buckets: z.strictObject({ staging: bucketName, quarantine: bucketName }),
  alertTopicArn: z.string().check(z.startsWith('arn:')),
});

/** The whole `PROCESSOR_SETTINGS` value: the settings plus `resources`. */
export const processorConfigSchema = z.strictObject({ ...processorSettingsSchema.shape, resources: processorResourcesSchema });

/** What the stack must write into `PROCESSOR_SETTINGS`. */
export type ProcessorConfigInput = z.input<typeof processorConfigSchema>;
export type ProcessorConfig = z.output<typeof processorConfigSchema>;

/** Parses `PROCESSOR_SETTINGS`; the error names every offending field. */
export function parseProcessorConfig(raw: string | undefined): ProcessorConfig {
  return parseJsonConfig(PROCESSOR_SETTINGS_VARIABLE, processorConfigSchema, raw);
}
