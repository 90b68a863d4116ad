/**
 * The batch functions' lineage emitter on AWS: the lake copy through S3 (staging zone, `lineage/`), the endpoint
 * with its API key read from Secrets Manager (cached five minutes, so a rotated key is picked up), and every
 * failure logged and counted as `LineageEmitFailures` by transport.
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { httpTransport, lakeTransport, LineageEmitter, type LineageRuntimeConfig, type LineageTransport } from '../shared/lineage-emitter';
import type { Powertools } from '../shared/powertools';
import { powertoolsBatchMetrics } from './batch-metrics';
import type { LakeZone as Zone } from '../contracts/lake';

const KEY_CACHE_MS = 5 * 60_000;

/** The API key of the endpoint, read at most every five minutes (a failed read is retried on the next event). */
function cachedApiKey(secretId: string | undefined, pt: Powertools): () => Promise<string | undefined> {
  let client: SecretsManagerClient | undefined;
  let cached: { value: Promise<string | undefined>; at: number } | undefined;
  return () => {
    if (secretId === undefined) return Promise.resolve(undefined);
    if (!cached || Date.now() - cached.at > KEY_CACHE_MS) {
      const secrets = (client ??= pt.tracer.captureAWSv3Client(new SecretsManagerClient({})));
      const value = secrets.send(new GetSecretValueCommand({ SecretId: secretId })).then((res) => res.SecretString);
      cached = { value, at: Date.now() };
      value.catch(() => (cached = undefined));
    }
    return cached.value;
  };
}

/** The emitter of a batch function: `s3` and `buckets` are the function's own, `pt` its Powertools edge. */
export function awsLineageEmitter(
  config: LineageRuntimeConfig,
  s3: S3Client,
  buckets: Readonly<Record<Zone, string>>,
  pt: Powertools,
): LineageEmitter {
  const metrics = powertoolsBatchMetrics(pt.metrics);
  const transports: LineageTransport[] = [
    lakeTransport(async (key, body, signal) => {
      await s3.send(new PutObjectCommand({ Bucket: buckets.staging, Key: key, Body: body, ContentType: 'application/json' }), {
        abortSignal: signal,
      });
    }),
  ];
  if (config.endpoint) transports.push(httpTransport(config.endpoint.url, cachedApiKey(config.endpoint.apiKeySecretId, pt)));
  return new LineageEmitter({
    namespace: config.namespace,
    datasets: { postgres: config.datasets.oltp, warehouse: config.datasets.warehouse, lake: (zone) => `s3://${buckets[zone as Zone]}` },
    transports,
    timeoutMs: config.timeoutMs,
    onFailure: (transport, error) => {
      pt.logger.warn('lineage event not delivered (the job goes on)', { transport, error: error.message });
      metrics({ dimensions: { Transport: transport }, values: { LineageEmitFailures: 1 } });
    },
  });
}
