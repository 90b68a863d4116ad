import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { createEventContracts } from '../contracts/events';
import { s3Client, snsClient } from './aws-clients';
import { createStreamHandler } from './handler';
import { PowertoolsMetricsSink } from './powertools-metrics';
import { S3DocumentStore } from './s3-document-store';
import { S3LakeWriter } from './s3-lake';
import { parseProcessorSettings } from './settings';
import { SnsAlertPublisher } from './sns-alerts';

/** Lambda entry point: the AWS edge (clients, Powertools) around `createStreamHandler`. Built once per container. */

const SERVICE = 'stream-processor';
const settings = parseProcessorSettings(process.env.PROCESSOR_SETTINGS);
const required = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};
const logger = new Logger({ serviceName: SERVICE });
const metrics = new Metrics({ namespace: 'DataFlow/Streaming', serviceName: SERVICE });
const tracer = new Tracer({ serviceName: SERVICE });
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

export const handler = async (event: KinesisStreamEvent, context: Context): Promise<KinesisStreamBatchResponse> => {
  logger.addContext(context);
  const segment = tracer.getSegment();
  const subsegment = segment?.addNewSubsegment('## processBatch');
  if (subsegment) tracer.setSegment(subsegment);
  try {
    tracer.putAnnotation('records', event.Records?.length ?? 0);
    const response = await handle(event);
    tracer.putAnnotation('failures', response.batchItemFailures.length);
    return response;
  } catch (err) {
    tracer.addErrorAsMetadata(err as Error);
    logger.error('batch failed', { error: err as Error });
    throw err;
  } finally {
    subsegment?.close();
    if (segment) tracer.setSegment(segment);
  }
};
