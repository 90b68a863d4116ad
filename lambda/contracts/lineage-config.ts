/**
 * Runtime configuration of a batch function's OpenLineage emission: part of its `BATCH_CONFIG`, written by the
 * lineage transport construct from the environment's `lineage` section.
 */
import * as z from 'zod/mini';

export const lineageRuntimeSchema = z.strictObject({
  /** OpenLineage job namespace. */
  namespace: z.string().check(z.minLength(1)),
  /** Dataset namespaces of the OLTP source and the warehouse (the lake's are `s3://<bucket>`). */
  datasets: z.strictObject({ oltp: z.string().check(z.minLength(1)), warehouse: z.string().check(z.minLength(1)) }),
  endpoint: z.optional(
    z.strictObject({
      /** Where events are POSTed (base URL + path). */
      url: z.url({ protocol: /^https$/ }),
      /** Secrets Manager secret holding the bearer API key. */
      apiKeySecretId: z.optional(z.string().check(z.minLength(1))),
    }),
  ),
  timeoutMs: z.int().check(z.gte(100), z.lte(5_000)),
});
export type LineageRuntimeConfig = z.infer<typeof lineageRuntimeSchema>;
