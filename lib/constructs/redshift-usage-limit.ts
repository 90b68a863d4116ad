import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';

/** Construct id aws-cdk-lib gives the AwsCustomResource singleton function in a stack. */
const AWS_CUSTOM_RESOURCE_SINGLETON = 'AWS679f53fac002430cb0da5b7982bd2287';

/** What happens when the limit is reached (Redshift Serverless API values). */
export type UsageLimitBreachAction = 'log' | 'emit-metric' | 'deactivate';

export interface RedshiftUsageLimitProps {
  readonly workgroupArn: string;
  /** Compute allowed per month, in RPU-hours. */
  readonly monthlyRpuHours: number;
  readonly breachAction: UsageLimitBreachAction;
  readonly logsKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  /**
   * Removal policy of the custom resource's log group.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * A monthly compute usage limit on a Redshift Serverless workgroup (cost control). CloudFormation has no resource
 * for it, so it is managed through the Redshift Serverless API: created on create, its amount and breach action
 * updated in place on update, deleted with the stack.
 */
export class RedshiftUsageLimit extends Construct {
  public readonly resource: cr.AwsCustomResource;
  /** Id of the usage limit in Redshift Serverless. */
  public readonly usageLimitId: string;

  constructor(scope: Construct, id: string, props: RedshiftUsageLimitProps) {
    super(scope, id);
    if (!Number.isInteger(props.monthlyRpuHours) || props.monthlyRpuHours < 1) {
      throw new Error(`RedshiftUsageLimit: monthlyRpuHours must be a whole number ≥ 1 (got ${props.monthlyRpuHours})`);
    }
    const idFromResponse = cr.PhysicalResourceId.fromResponse('usageLimit.usageLimitId');
    this.resource = new cr.AwsCustomResource(this, 'Resource', {
      resourceType: 'Custom::RedshiftServerlessUsageLimit',
      installLatestAwsSdk: false,
      logGroup: new logs.LogGroup(this, 'Logs', {
        retention: props.logRetention,
        encryptionKey: props.logsKey,
        removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      }),
      onCreate: {
        service: 'redshift-serverless',
        action: 'CreateUsageLimit',
        parameters: {
          resourceArn: props.workgroupArn,
          usageType: 'serverless-compute',
          period: 'monthly',
          amount: props.monthlyRpuHours,
          breachAction: props.breachAction,
        },
        physicalResourceId: idFromResponse,
      },
      onUpdate: {
        service: 'redshift-serverless',
        action: 'UpdateUsageLimit',
        parameters: { usageLimitId: new cr.PhysicalResourceIdReference(), amount: props.monthlyRpuHours, breachAction: props.breachAction },
        physicalResourceId: idFromResponse,
      },
      onDelete: {
        service: 'redshift-serverless',
        action: 'DeleteUsageLimit',
        parameters: { usageLimitId: new cr.PhysicalResourceIdReference() },
      },
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({
          actions: ['redshift-serverless:CreateUsageLimit', 'redshift-serverless:UpdateUsageLimit', 'redshift-serverless:DeleteUsageLimit'],
          resources: ['*'],
        }),
      ]),
    });
    this.usageLimitId = this.resource.getResponseField('usageLimit.usageLimitId');
    // The AwsCustomResource function is a stack-wide singleton created by aws-cdk-lib.
    const singleton = Stack.of(this).node.tryFindChild(AWS_CUSTOM_RESOURCE_SINGLETON);
    if (singleton) {
      Validations.of(singleton).acknowledge(
        {
          id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
          reason: 'aws-cdk-lib AwsCustomResource singleton: the managed basic-execution policy only lets it write its own logs.',
        },
        {
          id: 'AwsSolutions-L1',
          reason: 'The AwsCustomResource singleton runtime is chosen by aws-cdk-lib (it calls one SDK API at deploy time).',
        },
      );
    }
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only the three usage-limit actions are allowed; update/delete address a usage-limit id Redshift generates at create time, which cannot be named in the policy beforehand.',
    });
  }
}
