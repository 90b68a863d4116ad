import * as z from 'zod/mini';
import { STREAM_NAMES } from '../contracts/events';

/**
 * The processor's runtime settings, passed by the stack as one JSON environment variable (`PROCESSOR_SETTINGS`)
 * and validated once at module init, so a bad deployment fails on the first invocation with the field named.
 */
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
    madMinSamples: z.int().check(z.gte(3)),
    velocityMaxOrders: z.int().check(z.gte(1)),
    maxClockSkewSeconds: z.number().check(z.gte(0)),
    maxLatenessSeconds: z.number().check(z.gt(0)),
  }),
});

export type ProcessorSettings = z.infer<typeof processorSettingsSchema>;
export type AnomalyConfig = ProcessorSettings['anomaly'];

/** Parses the settings JSON; the error names every offending field. */
export function parseProcessorSettings(json: string | undefined): ProcessorSettings {
  if (!json) throw new Error('PROCESSOR_SETTINGS is not set');
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new Error('PROCESSOR_SETTINGS is not valid JSON');
  }
  const parsed = processorSettingsSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new Error(`PROCESSOR_SETTINGS is invalid: ${lines.join('; ')}`);
  }
  return parsed.data;
}
