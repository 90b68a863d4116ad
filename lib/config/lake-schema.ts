import { z } from 'zod';

/** A whole number of days in a range, with messages naming the bound. */
export const days = (min: number, max: number) =>
  z.number().int(`must be a whole number of days`).min(min, `must be ≥ ${min} days`).max(max, `must be ≤ ${max} days`);

/** How long each lake zone keeps its objects, and when they move to cheaper storage classes. */
export const lakeRetentionSchema = z
  .strictObject({
    /** Raw zone: days until objects move to S3 Standard-IA. */
    rawInfrequentAccessDays: days(30, 3650),
    /** Raw zone: days until objects move to Glacier Flexible Retrieval. */
    rawGlacierDays: days(31, 3650),
    /** Raw zone: days until objects expire; `undefined` keeps the archive forever (it is the replay source). */
    rawExpirationDays: days(1, 36500).optional(),
    /** Staging zone: days until objects move to Standard-IA. */
    stagingInfrequentAccessDays: days(30, 3650),
    /** Staging zone: days until objects expire. */
    stagingExpirationDays: days(1, 3650),
    /** Quarantine zone: days until objects expire (time to triage bad records). */
    quarantineExpirationDays: days(1, 3650),
    /** Versioned zones: days until non-current versions expire. */
    noncurrentVersionExpirationDays: days(1, 3650),
    /** Server-access-log bucket: days until log objects expire. */
    accessLogExpirationDays: days(1, 3650),
  })
  .refine((r) => r.rawGlacierDays > r.rawInfrequentAccessDays, {
    message: 'must be greater than rawInfrequentAccessDays',
    path: ['rawGlacierDays'],
  })
  .refine((r) => r.rawExpirationDays === undefined || r.rawExpirationDays > r.rawGlacierDays, {
    message: 'must be greater than rawGlacierDays',
    path: ['rawExpirationDays'],
  })
  .refine((r) => r.stagingExpirationDays > r.stagingInfrequentAccessDays, {
    message: 'must be greater than stagingInfrequentAccessDays',
    path: ['stagingExpirationDays'],
  });

export type LakeRetention = z.infer<typeof lakeRetentionSchema>;
