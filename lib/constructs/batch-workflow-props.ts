import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import type * as glue from 'aws-cdk-lib/aws-glue';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';

/** Props of the hourly batch state machine (`BatchWorkflow`). */
export interface BatchWorkflowProps {
  /** `<prefix>-<env>`: names the state machine and its log group. */
  readonly name: string;
  /** Environment name shown in notifications. */
  readonly environment: string;
  readonly control: lambda.IFunction;
  readonly extract: lambda.IFunction;
  readonly quality: lambda.IFunction;
  readonly load: lambda.IFunction;
  readonly conformJob: glue.IJob;
  readonly featuresJob: glue.IJob;
  readonly dbt: {
    readonly cluster: ecs.ICluster;
    readonly taskDefinition: ecs.FargateTaskDefinition;
    readonly container: ecs.ContainerDefinition;
    readonly subnets: ec2.SubnetSelection;
    readonly securityGroups: ec2.ISecurityGroup[];
  };
  /** Receives the failure notification (on-call). */
  readonly onCall: sns.ITopic;
  /**
   * Runbook the failure notification links (what on-call does next).
   * @default - no link
   */
  readonly runbookUrl?: string;
  /** Encrypts the definition and the execution history; callers need it too (see `grantKeyUse`). */
  readonly key: kms.IKey;
  readonly logsKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  /**
   * Whole-execution timeout (also the lease TTL the control Lambda uses).
   * @default BATCH_TIMEOUT_SECONDS (lambda/contracts/workflow.ts: two hours, the batch's service level)
   */
  readonly timeout?: Duration;
  /** @default 4 */
  readonly extractConcurrency?: number;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}
