import { z } from 'zod';

/**
 * Where the batch's OpenLineage events go (config field `lineage`). They are always written to the lake, under
 * `lineage/` of the staging zone; with an `endpoint` they are also sent to an OpenLineage HTTP endpoint (Marquez,
 * an OpenLineage proxy, any consumer of `POST /api/v1/lineage`). docs/lineage.md explains the networking.
 */

/** Why an endpoint URL cannot be used, or undefined. */
export function endpointUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute URL such as https://marquez.internal.example:5000';
  }
  if (url.protocol !== 'https:')
    return `must use https (got ${url.protocol.replace(/:$/, '')}): the API key and the lineage travel over it`;
  if (url.username || url.password)
    return 'must not carry credentials: put the API key in a Secrets Manager secret (lineage.endpoint.apiKeySecret)';
  if (url.search || url.hash) return 'must not have a query or fragment: give the base URL, the path goes in lineage.endpoint.path';
  return undefined;
}

const SECRET_ARN = /^arn:aws[a-z-]*:secretsmanager:[a-z]{2}(-gov)?-[a-z]+-\d:\d{12}:secret:[A-Za-z0-9/_+=.@-]+$/;
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;

/**
 * Why a value is not a Secrets Manager secret reference, or undefined. A name is words joined by `/ - _ .`; a
 * long run of letters and digits with no separator (or a well-known token prefix) is the key itself, refused so
 * it never lands in a template or a repository.
 */
export function secretReferenceProblem(value: string): string | undefined {
  if (value.startsWith('arn:'))
    return SECRET_ARN.test(value)
      ? undefined
      : 'must be a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>)';
  if (!SECRET_NAME.test(value)) return 'must be a Secrets Manager secret name (letters, digits and /_+=.@-) or ARN';
  const token =
    /^(sk|pk|ghp|gho|xox[abp]|eyJ)[-_A-Za-z0-9]/.test(value) ||
    value.split(/[/_.@-]/).some((w) => w.length >= 20 && /\d/.test(w) && /[A-Za-z]/.test(w));
  return token ? 'looks like a literal API key: store the key in Secrets Manager and give the secret name or ARN here' : undefined;
}

const problemOf =
  (check: (value: string) => string | undefined) =>
  (value: string, ctx: z.RefinementCtx): void => {
    const problem = check(value);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  };

export const lineageSchema = z
  .strictObject({
    /**
     * OpenLineage job namespace of the batch's jobs (dbt's included).
     * @default - `<prefix>-<environment>`, e.g. `dataflow-prod`
     */
    namespace: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/, 'must be 1–128 letters, digits and . _ : / - (an OpenLineage namespace)')
      .optional(),
    /**
     * The OpenLineage HTTP endpoint the events are also sent to.
     * @default - none: events go to the lake only
     */
    endpoint: z
      .strictObject({
        /** Base URL of the consumer (OPENLINEAGE_URL), https only, reachable privately from the batch VPC. */
        url: z.string().superRefine(problemOf(endpointUrlProblem)),
        /** Path the events are POSTed to (OPENLINEAGE_ENDPOINT). @default api/v1/lineage */
        path: z
          .string()
          .regex(/^[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*$/, 'must be a relative URL path such as api/v1/lineage')
          .default('api/v1/lineage'),
        /**
         * Network the endpoint's address is in: the batch security groups may reach its port there only.
         * @default - the warehouse VPC's CIDR (an in-VPC service or an interface endpoint)
         */
        cidr: z
          .string()
          .regex(
            /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}\/(\d|[12]\d|3[0-2])$/,
            'must be an IPv4 CIDR such as 10.40.0.0/20',
          )
          .refine((c) => Number(c.split('/')[1]) >= 8, 'must be /8 or narrower: egress goes to the endpoint network only')
          .optional(),
        /**
         * Secrets Manager secret (name or ARN) whose value is the bearer API key (OPENLINEAGE_API_KEY).
         * @default - no Authorization header
         */
        apiKeySecret: z.string().superRefine(problemOf(secretReferenceProblem)).optional(),
      })
      .optional(),
    /** Longest one emission may take before it is abandoned (logged and counted, the batch goes on). @default 2000 */
    timeoutMs: z
      .number()
      .int()
      .min(100, 'must be ≥ 100 ms')
      .max(5_000, 'must be ≤ 5000 ms: lineage never holds the batch up')
      .default(2_000),
  })
  .default({ timeoutMs: 2_000 });

export type LineageConfig = z.infer<typeof lineageSchema>;
export type LineageEndpoint = NonNullable<LineageConfig['endpoint']>;

/** The endpoint's TCP port (the URL's, or 443). */
export function endpointPort(endpoint: { readonly url: string }): number {
  const url = new URL(endpoint.url);
  return url.port ? Number(url.port) : 443;
}
