import type { KinesisStreamEvent } from 'aws-lambda';
import { createEventContracts } from '../contracts/events';
import { SERVICES, STREAM_METRICS_NAMESPACE } from '../contracts/metrics';
import { parseProcessorConfig } from '../contracts/processor-settings';
import { lambdaHandler, powertools } from '../shared/powertools';
import { S3LakeStore } from '../shared/s3-lake-store';
import { s3Client, snsClient } from './aws-clients';
import { createStreamHandler, type StreamHandler, type StreamHandlerDeps } from './handler';
import { PowertoolsMetricsSink } from './powertools-metrics';
import { S3DocumentStore } from './s3-document-store';
import { SnsAlertPublisher } from './sns-alerts';

/** Lambda entry point: the AWS edge (settings, traced clients, Powertools) around `createStreamHandler`. */

const pt = powertools(SERVICES.streamProcessor, STREAM_METRICS_NAMESPACE);

function awsDeps(): StreamHandlerDeps {
  const { resources, ...settings } = parseProcessorConfig(process.env.PROCESSOR_SETTINGS);
  const s3 = pt.tracer.captureAWSv3Client(s3Client());
  return {
    settings,
    contracts: createEventContracts({ currencies: settings.currencies }),
    lake: new S3LakeStore(s3, resources.buckets),
    outboxStore: new S3DocumentStore(s3, resources.buckets.staging),
    alerts: new SnsAlertPublisher(pt.tracer.captureAWSv3Client(snsClient()), resources.alertTopicArn),
    metrics: new PowertoolsMetricsSink(pt.metrics),
    logger: pt.logger,
  };
}

/** The stream handler with the batch's size and failures annotated on its trace. */
function createHandler(deps: StreamHandlerDeps): StreamHandler {
  const handle = createStreamHandler(deps);
  return async (event: KinesisStreamEvent) => {
    pt.tracer.putAnnotation('records', event.Records?.length ?? 0);
    const response = await handle(event);
    pt.tracer.putAnnotation('failures', response.batchItemFailures.length);
    return response;
  };
}

export const handler = lambdaHandler(pt, awsDeps, createHandler);
