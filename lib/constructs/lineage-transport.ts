import { Arn, ArnFormat, Stack, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { BATCH_METRICS_NAMESPACE, type BatchMetricName } from '../../lambda/contracts/metrics';
import type { LineageRuntimeConfig } from '../../lambda/contracts/lineage-config';
import { endpointPort, type LineageConfig } from '../config';
import { nagText } from '../nag-text';
import type { BatchDbtTask } from './batch-dbt-task';

/** The lake copy's prefix: every batch emitter writes its events under it. */
export const LINEAGE_PREFIX = 'lineage/';

export interface LineageTransportProps {
  /** The environment's validated `lineage` section. */
  readonly config: LineageConfig;
  /** OpenLineage job namespace of the batch's jobs. */
  readonly namespace: string;
  /** The lake zone whose `lineage/` prefix holds the lake copy of every event. */
  readonly lakeBucket: s3.IBucket;
  /** The lake's key (SSE-KMS of `lakeBucket`). */
  readonly lakeKey: kms.IKey;
  /** Dataset namespaces of the OLTP source and the warehouse. */
  readonly datasets: { readonly oltp: string; readonly warehouse: string };
  /** Security groups of the emitters inside the VPC; each may reach the endpoint's port when one is configured. */
  readonly securityGroups: readonly ec2.ISecurityGroup[];
  /** Network of the endpoint when the config names none: the VPC's CIDR. */
  readonly vpcCidr: string;
}

/**
 * Where the batch's OpenLineage events go: the lake copy (always) and the configured HTTP endpoint. Gives the
 * batch functions their runtime `lineage` config and the grants it needs (lake prefix, API-key secret), the dbt
 * task its openlineage-dbt settings, and — only with an endpoint — egress to the endpoint's port from the VPC.
 */
export class LineageTransport extends Construct {
  /** The `lineage` part of a batch function's runtime config. */
  public readonly runtimeConfig: LineageRuntimeConfig;
  /** The secret holding the endpoint's API key, if the config names one. */
  public readonly apiKey?: secretsmanager.ISecret;
  /** The API-key secret as IAM policies name it (a name or partial ARN matches Secrets Manager's six-character suffix). */
  private readonly apiKeyPolicyArn?: string;

  constructor(
    scope: Construct,
    id: string,
    private readonly props: LineageTransportProps,
  ) {
    super(scope, id);
    const endpoint = props.config.endpoint;
    if (endpoint?.apiKeySecret !== undefined) {
      const { secret, complete } = importSecret(this, endpoint.apiKeySecret);
      this.apiKey = secret;
      this.apiKeyPolicyArn = complete ? secret.secretArn : `${secret.secretArn}-??????`;
    }
    this.runtimeConfig = {
      namespace: props.namespace,
      datasets: props.datasets,
      ...(endpoint
        ? { endpoint: { url: this.postUrl!, ...(endpoint.apiKeySecret !== undefined ? { apiKeySecretId: endpoint.apiKeySecret } : {}) } }
        : {}),
      timeoutMs: props.config.timeoutMs,
    };
    if (endpoint) {
      const port = ec2.Port.tcp(endpointPort(endpoint));
      for (const sg of props.securityGroups)
        sg.addEgressRule(ec2.Peer.ipv4(endpoint.cidr ?? props.vpcCidr), port, 'OpenLineage endpoint (lineage events)');
    }
  }

  /** Where events are POSTed: the endpoint's base URL and path. */
  get postUrl(): string | undefined {
    const endpoint = this.props.config.endpoint;
    return endpoint ? new URL(endpoint.path, endpoint.url.endsWith('/') ? endpoint.url : `${endpoint.url}/`).toString() : undefined;
  }

  /** GetSecretValue of the API-key secret (nothing without one). */
  private grantApiKey(grantee: iam.IGrantable): void {
    if (this.apiKeyPolicyArn === undefined) return;
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'LineageApiKey', actions: ['secretsmanager:GetSecretValue'], resources: [this.apiKeyPolicyArn] }),
    );
    if (this.apiKeyPolicyArn.endsWith('-??????') && grantee.grantPrincipal instanceof Construct) {
      Validations.of(grantee.grantPrincipal).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${nagText(this, this.apiKeyPolicyArn)}]`,
        reason:
          "The one API-key secret of the lineage endpoint, named in the config: -?????? matches the six characters Secrets Manager appends to a secret's ARN.",
      });
    }
  }

  /** Lets a function's role write the lake copy and read the API key. */
  grantEmit(role: iam.IRole): void {
    this.grantLakeCopy(role);
    this.grantApiKey(role);
  }

  /** PutObject under `lineage/` of the lake zone, with the lake key through S3. */
  private grantLakeCopy(role: iam.IRole): void {
    const objects = this.props.lakeBucket.arnForObjects(`${LINEAGE_PREFIX}*`);
    role.addToPrincipalPolicy(new iam.PolicyStatement({ sid: 'LineageLakeCopy', actions: ['s3:PutObject'], resources: [objects] }));
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'LineageLakeCopyKey',
        actions: ['kms:GenerateDataKey'],
        resources: [this.props.lakeKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(this).region}.amazonaws.com` } },
      }),
    );
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagText(this, objects)}]`,
      reason: 'PutObject only under lineage/ of the lake zone: one object per OpenLineage event, in dt=/hr= partitions below it.',
    });
  }

  /**
   * Runs the dbt task's build through openlineage-dbt: its job namespace, the lake copy's bucket and, with an
   * endpoint, OPENLINEAGE_URL / OPENLINEAGE_ENDPOINT and the API key as a task secret. Undelivered events are
   * counted from the task's log lines (dbt/scripts/batch_build.py) as `LineageEmitFailures`.
   */
  attachDbt(dbt: BatchDbtTask): void {
    const endpoint = this.props.config.endpoint;
    dbt.container.addEnvironment('OPENLINEAGE_NAMESPACE', this.props.namespace);
    dbt.container.addEnvironment('DATAFLOW_LINEAGE_BUCKET', this.props.lakeBucket.bucketName);
    dbt.container.addEnvironment('DATAFLOW_LINEAGE_TIMEOUT_MS', String(this.props.config.timeoutMs));
    if (endpoint) {
      dbt.container.addEnvironment('OPENLINEAGE_URL', endpoint.url);
      dbt.container.addEnvironment('OPENLINEAGE_ENDPOINT', endpoint.path);
    }
    if (this.apiKey)
      dbt.container.addSecret('OPENLINEAGE_API_KEY', new ValueOnlySecret(this.apiKey.secretArn, (grantee) => this.grantApiKey(grantee)));
    // The task role uploads the events; the key is read by ECS, with the execution role, when the task starts.
    this.grantLakeCopy(dbt.taskDefinition.taskRole);
    dbt.logGroup.addMetricFilter('LineageEmitFailures', {
      filterPattern: { logPatternString: '{ $.lineage = "not delivered" }' },
      metricNamespace: BATCH_METRICS_NAMESPACE,
      metricName: 'LineageEmitFailures' satisfies BatchMetricName,
      metricValue: '$.events',
      dimensions: { service: '$.service', Transport: '$.transport' },
    });
  }
}

/** A secret by name (`a/b`) or ARN; `complete` when the ARN carries Secrets Manager's six-character suffix. */
function importSecret(scope: Construct, reference: string): { secret: secretsmanager.ISecret; complete: boolean } {
  if (!reference.startsWith('arn:')) return { secret: secretsmanager.Secret.fromSecretNameV2(scope, 'ApiKey', reference), complete: false };
  const complete = /-[A-Za-z0-9]{6}$/.test(Arn.split(reference, ArnFormat.COLON_RESOURCE_NAME).resourceName ?? '');
  return {
    secret: complete
      ? secretsmanager.Secret.fromSecretCompleteArn(scope, 'ApiKey', reference)
      : secretsmanager.Secret.fromSecretPartialArn(scope, 'ApiKey', reference),
    complete,
  };
}

/** A task secret whose read grant is GetSecretValue alone (`ecs.Secret.fromSecretsManager` adds DescribeSecret, unused). */
class ValueOnlySecret extends ecs.Secret {
  public readonly hasField = false;
  constructor(
    public readonly arn: string,
    private readonly grant: (grantee: iam.IGrantable) => void,
  ) {
    super();
  }

  grantRead(grantee: iam.IGrantable): iam.Grant {
    this.grant(grantee);
    return iam.Grant.drop(grantee, 'granted by LineageTransport');
  }
}
