import type { KinesisStreamEvent } from 'aws-lambda';
import { createEventContracts } from '../contracts/events';
import { SERVICES, STREAM_METRICS_NAMESPACE } from '../contracts/metrics';
import { instrument, powertools } from '../shared/powertools';
import { s3Client, snsClient } from './aws-clients';
import { createStreamHandler } from './handler';
import { PowertoolsMetricsSink } from './powertools-metrics';
import { S3DocumentStore } from './s3-document-store';
import { S3LakeWriter } from './s3-lake';
import { parseProcessorSettings } from '../contracts/processor-settings';
import { SnsAlertPublisher } from './sns-alerts';

/** Lambda entry point: the AWS edge (clients, Powertools) around `createStreamHandler`. Built once per container. */

const settings = parseProcessorSettings(process.env.PROCESSOR_SETTINGS);
const required = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};
const pt = powertools(SERVICES.streamProcessor, STREAM_METRICS_NAMESPACE);
const { logger, metrics, tracer } = pt;
const s3 = tracer.captureAWSv3Client(s3Client());
const sns = tracer.captureAWSv3Client(snsClient());
const stagingBucket = required('STAGING_BUCKET');

const handle = createStreamHandler({
  settings,
  contracts: createEventContracts({ currencies: settings.currencies }),
  lake: new S3LakeWriter(s3, { staging: stagingBucket, quarantine: required('QUARANTINE_BUCKET') }),
  outboxStore: new S3DocumentStore(s3, stagingBucket),
  alerts: new SnsAlertPublisher(sns, required('ALERT_TOPIC_ARN')),
  metrics: new PowertoolsMetricsSink(metrics),
  logger,
});

export const handler = instrument(pt, async (event: KinesisStreamEvent) => {
  tracer.putAnnotation('records', event.Records?.length ?? 0);
  const response = await handle(event);
  tracer.putAnnotation('failures', response.batchItemFailures.length);
  return response;
});
