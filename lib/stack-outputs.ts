import { CfnOutput, type Stack } from 'aws-cdk-lib';
import type { PlatformStacks } from './data-platform-stage';

/** One stack output: what on-call reads with `make outputs ENV=<env>` and the runbooks refer to by name. */
interface Output {
  readonly value: string;
  readonly description: string;
}

function add(stack: Stack, outputs: Record<string, Output | undefined>): void {
  for (const [id, o] of Object.entries(outputs)) if (o) new CfnOutput(stack, id, o);
}

const STREAM_TITLE = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

/**
 * The outputs of every stack of an environment: each generated name or address a runbook tells on-call to use
 * (test/foundation/runbooks.test.ts checks that every output a runbook names exists).
 */
export function addRunbookOutputs(stage: PlatformStacks): void {
  const { operations, storage, streaming, warehouse, batch, dashboard } = stage;
  add(operations, {
    CriticalTopicArn: { value: operations.alerting.critical.topicArn, description: 'SNS topic that pages on-call' },
    WarningTopicArn: {
      value: operations.alerting.warning.topicArn,
      description: 'SNS topic for office-hours alarms and anomaly summaries',
    },
    AlertingKeyArn: { value: operations.alerting.key.keyArn, description: 'KMS key of both alarm topics' },
    LogsKeyArn: { value: operations.logsKey.key.keyArn, description: 'KMS key of every log group' },
  });
  const lake = storage.lake;
  add(storage, {
    RawBucket: { value: lake.raw.bucketName, description: 'Raw zone (stream archive, OLTP extracts)' },
    StagingBucket: {
      value: lake.staging.bucketName,
      description: 'Staging zone (validated data, quality reports, manifests, dbt run results)',
    },
    QuarantineBucket: { value: lake.quarantine.bucketName, description: 'Quarantine zone (rejected records by reason)' },
    AccessLogBucket: { value: lake.accessLogs.bucketName, description: 'Server access logs of the zones' },
    LakeKeyArn: { value: lake.key.keyArn, description: 'KMS key of the lake zones' },
  });
  const p = streaming.processor;
  const perStream: Record<string, Output> = {};
  for (const [name, archive] of Object.entries(streaming.archives)) {
    perStream[`${STREAM_TITLE(name)}Stream`] = {
      value: streaming.ingest.streams[name as keyof typeof streaming.archives].streamName,
      description: `Kinesis stream ${name}`,
    };
    perStream[`${STREAM_TITLE(name)}ArchiveDeliveryStream`] = {
      value: archive.deliveryStreamName,
      description: `Firehose raw archive of ${name}`,
    };
    perStream[`${STREAM_TITLE(name)}ArchiveLogGroup`] = {
      value: archive.logGroup.logGroupName,
      description: `Delivery error logs of the ${name} archive`,
    };
  }
  add(streaming, {
    ProcessorFunction: { value: p.function.functionName, description: 'Stream processor Lambda' },
    ProcessorLogGroup: { value: p.logGroup.logGroupName, description: 'Stream processor logs' },
    FailureQueueUrl: {
      value: p.failureQueue.queueUrl,
      description: 'On-failure queue of the stream event source mappings (skipped shard ranges)',
    },
    ...perStream,
  });
  const w = warehouse.warehouse;
  add(warehouse, {
    Workgroup: { value: w.workgroupName, description: 'Redshift Serverless workgroup' },
    WorkgroupArn: { value: w.workgroupArn, description: 'Redshift Serverless workgroup ARN (usage limits)' },
    Namespace: { value: w.namespaceName, description: 'Redshift Serverless namespace' },
    Database: { value: w.databaseName, description: 'Warehouse database' },
    VpcId: { value: warehouse.network.vpc.vpcId, description: 'Warehouse VPC (the batch extract and dbt run here too)' },
    FlowLogGroup: { value: warehouse.network.flowLogGroup.logGroupName, description: 'VPC flow logs (all traffic)' },
    OltpTransitGatewayAttachment: warehouse.oltpPath.attachment && {
      value: warehouse.oltpPath.attachment.ref,
      description: 'Transit gateway attachment towards the OLTP database',
    },
    OltpPeeringConnection: warehouse.oltpPath.peering && {
      value: warehouse.oltpPath.peering.ref,
      description: 'VPC peering connection towards the OLTP database',
    },
  });
  const fns = batch.functions;
  add(batch, {
    StateMachineArn: { value: batch.workflow.stateMachine.stateMachineArn, description: 'Hourly batch state machine' },
    StateMachineLogGroup: { value: batch.workflow.logGroup.logGroupName, description: 'Execution history logs of the hourly batch' },
    LeaseTable: { value: batch.leaseTable.tableName, description: 'DynamoDB lease table (window and warehouse leases)' },
    ScheduleName: { value: batch.schedule.scheduleName, description: 'EventBridge Scheduler schedule of the hourly batch' },
    ScheduleDeadLetterQueueUrl: {
      value: batch.scheduleDeadLetters.queueUrl,
      description: 'Dead-letter queue of schedule invocations that could not start an execution',
    },
    OltpSecretArn: { value: batch.oltpSecret.secretArn, description: 'Credentials (and optional CA) of the OLTP database' },
    ExtractLogGroup: { value: fns.extract.logGroup.logGroupName, description: 'Extract Lambda logs' },
    QualityLogGroup: { value: fns.quality.logGroup.logGroupName, description: 'Quality gate Lambda logs' },
    LoadLogGroup: { value: fns.load.logGroup.logGroupName, description: 'Warehouse load Lambda logs' },
    ControlLogGroup: { value: fns.control.logGroup.logGroupName, description: 'Control Lambda logs (plan, leases, metrics)' },
    ConformJob: { value: batch.glue.conform.jobName, description: 'Glue job conform' },
    CustomerFeaturesJob: { value: batch.glue.customerFeatures.jobName, description: 'Glue job customer_features' },
    GlueLogGroup: { value: batch.glue.logGroup.logGroupName, description: 'Glue job logs' },
    DbtLogGroup: { value: batch.dbt.logGroup.logGroupName, description: 'dbt task logs (stream prefix dbt/)' },
    DbtCluster: { value: batch.dbt.cluster.clusterName, description: 'ECS cluster of the dbt task' },
  });
  add(dashboard, { DashboardName: { value: dashboard.dashboard.dashboard.dashboardName, description: 'Operations dashboard' } });
}
