import * as crypto from 'node:crypto';
import * as path from 'node:path';
import { CustomResource, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import type { Construct } from 'constructs';
import { nagText } from '../nag-text';
import { dataApiPolicyStatements } from './data-api-policy';
import { PlatformFunction } from './platform-function';
import {
  ANALYSTS_ROLE,
  createRoleStatements,
  grantStatements,
  LOADER_ROLE,
  objectStatements,
  TRANSFORMER_ROLE,
  type SetupProperties,
} from '../../lambda/contracts/warehouse-roles';

export interface WarehouseSetupProps {
  readonly namespaceName: string;
  readonly namespaceArn: string;
  readonly workgroupName: string;
  readonly workgroupArn: string;
  readonly databaseName: string;
  /** The warehouse key: encrypts the Redshift-managed admin secret (the setup connects as the admin) and the functions' environments. */
  readonly key: kms.IKey;
  /** Key of the functions' log groups. */
  readonly logsKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  /**
   * Removal policy of the functions' log groups.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Deploy-time database setup through the Redshift Data API (custom resource): schemas bronze/silver/gold/stage,
 * the bronze tables from the table specs, the `analysts` role with read-only access to gold, and the
 * `dataflow_loader` / `dataflow_transformer` roles the batch's IAM identities receive via `RedshiftDbRoles` tags. Idempotent; the
 * handler polls each batch with a bounded loop and fails the deployment on FAILED/ABORTED. It re-runs whenever
 * the generated SQL changes (its hash is a resource property). Deleting the stack keeps the database objects.
 */
export class WarehouseSetup extends PlatformFunction {
  public readonly resource: CustomResource;
  /** The read-only database role for analysts. */
  public readonly analystsRole = ANALYSTS_ROLE;
  /** Database role of the hourly loader (tag its IAM role `RedshiftDbRoles=<this>`). */
  public readonly loaderRole = LOADER_ROLE;
  /** Database role of dbt (tag its IAM role `RedshiftDbRoles=<this>`). */
  public readonly transformerRole = TRANSFORMER_ROLE;
  /** ARN of the admin secret Redshift manages (looked up by the setup; CloudFormation has no attribute for it). */
  public readonly adminSecretArn: string;

  constructor(scope: Construct, id: string, props: WarehouseSetupProps) {
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    super(scope, id, {
      entry: path.join(__dirname, '..', '..', 'lambda', 'warehouse-setup', 'handler.ts'),
      description: 'DataFlow warehouse setup: schemas, bronze tables and the analysts role via the Redshift Data API',
      roleDescription: 'DataFlow warehouse setup function: Data API on the workgroup, the admin secret, its own logs',
      logsKey: props.logsKey,
      environmentKey: props.key,
      logRetention: props.logRetention,
      removalPolicy,
      memorySize: 256,
      // The ids the function was first deployed under: its logical ids stay as they are.
      childIds: { logs: 'FunctionLogs', role: 'FunctionRole' },
      unscopedReasons: [
        'redshift-data:DescribeStatement/GetStatementResult, on the statements the calling role submitted (condition redshift-data:statement-owner-iam-userid)',
      ],
    });
    const sids = { submit: 'RunSetupSql', follow: 'FollowOwnStatements' };
    for (const s of dataApiPolicyStatements({ workgroupArn: props.workgroupArn, operations: ['transaction', 'query'], sids }))
      this.function.addToRolePolicy(s);
    this.function.addToRolePolicy(
      new iam.PolicyStatement({ sid: 'FindAdminSecret', actions: ['redshift-serverless:GetNamespace'], resources: [props.namespaceArn] }),
    );
    const { partition, region, account } = Stack.of(this);
    const adminSecrets = `arn:${partition}:secretsmanager:${region}:${account}:secret:redshift!*`;
    this.function.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'ReadAdminSecret',
        actions: ['secretsmanager:GetSecretValue'],
        // Redshift names its managed secrets `redshift!…`; the random suffix is only known after creation.
        resources: [adminSecrets],
      }),
    );
    props.key.grantDecrypt(this.function);

    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: this.function,
      providerFunctionEnvEncryption: props.key,
      logGroup: new logs.LogGroup(this, 'ProviderLogs', { retention: props.logRetention, encryptionKey: props.logsKey, removalPolicy }),
    });

    const sql = [...objectStatements(), ...createRoleStatements([]), ...grantStatements()].join(';\n');
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: provider.serviceToken,
      resourceType: 'Custom::WarehouseSetup',
      properties: {
        NamespaceName: props.namespaceName,
        WorkgroupName: props.workgroupName,
        Database: props.databaseName,
        SqlHash: crypto.createHash('sha256').update(sql).digest('hex').slice(0, 16),
      } satisfies SetupProperties,
    });

    this.adminSecretArn = this.resource.getAttString('AdminSecretArn');
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagText(this, adminSecrets)}]`,
      reason:
        'Redshift-managed admin secrets are named redshift!<namespace>-<user>-<random>; decrypting them additionally needs the warehouse key, which this role may use for this namespace only.',
    });
    Validations.of(provider).acknowledge(
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          'CDK custom-resource Provider framework function (aws-cdk-lib code): the managed basic-execution policy only lets it write its own logs.',
      },
      {
        id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.function.node.defaultChild as lambda.CfnFunction)}.Arn>:*]`,
        reason: 'CDK custom-resource Provider framework: may invoke only the setup function (any version/alias of it), nothing else.',
      },
      {
        id: 'AwsSolutions-L1',
        reason: 'The Provider framework function runtime is chosen by aws-cdk-lib; the setup function itself runs nodejs22.x.',
      },
    );
  }
}
