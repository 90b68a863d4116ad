import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import type { KinesisStreamEvent } from 'aws-lambda';
import { createEventContracts } from '../contracts/events';
import { SERVICES, STREAM_METRICS_NAMESPACE } from '../contracts/metrics';
import { instrument, powertools } from '../shared/powertools';
import { createStreamHandler } from './handler';
import { PowertoolsMetricsSink } from './powertools-metrics';
import { S3LakeWriter } from './s3-lake';
import { parseProcessorSettings } from './settings';
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
const s3 = tracer.captureAWSv3Client(new S3Client({}));
const sns = tracer.captureAWSv3Client(new SNSClient({}));

const handle = createStreamHandler({
  settings,
  contracts: createEventContracts({ currencies: settings.currencies }),
  lake: new S3LakeWriter(s3, { staging: required('STAGING_BUCKET'), quarantine: required('QUARANTINE_BUCKET') }),
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
