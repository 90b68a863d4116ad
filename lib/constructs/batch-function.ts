import * as path from 'node:path';
import { Duration, RemovalPolicy, Stack, Validations, type CfnResource } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as lambda_nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { BatchConfigInput, BatchHandlerName } from '../../lambda/contracts/batch-config';
import { RUNTIME_CONFIG_METADATA, type RuntimeConfigName } from '../../lambda/contracts/runtime-config';

/** Folder of the batch Lambda handlers. */
export const BATCH_HANDLER_DIR = path.resolve(__dirname, '..', '..', 'lambda', 'batch', 'handlers');

export interface BatchFunctionProps<H extends BatchHandlerName = BatchHandlerName> {
  /** Handler file name in `lambda/batch/handlers/` without extension, e.g. `extract`. */
  readonly handler: H;
  readonly description: string;
  /** The handler's `BATCH_CONFIG`, typed by the schema it parses at start (lambda/batch/config.ts). */
  readonly config: BatchConfigInput<H>;
  /** Encrypts the log group and the environment variables. */
  readonly key: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  /** @default Duration.minutes(5) */
  readonly timeout?: Duration;
  /** @default 1024 */
  readonly memorySize?: number;
  /**
   * Run inside this VPC (private subnets).
   * @default - not in a VPC
   */
  readonly vpc?: ec2.IVpc;
  /** @default - the VPC's private subnets */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /** @default - one created by Lambda when `vpc` is set */
  readonly securityGroups?: ec2.ISecurityGroup[];
  /** Extra environment variables. @default {} */
  readonly environment?: Record<string, string>;
  /** @default RemovalPolicy.RETAIN */
  readonly logRemovalPolicy?: RemovalPolicy;
  /** Why the statements on `*` the caller adds to the role are needed (joined into the IAM5 acknowledgement). @default [] */
  readonly unscopedReasons?: readonly string[];
  /** Files copied next to the bundled handler (file name → absolute source path). @default {} */
  readonly bundledFiles?: Record<string, string>;
}

/**
 * One batch Lambda: Node 22 on arm64, bundled by local esbuild (minified, with a source map for readable stack
 * traces), X-Ray active, JSON logs in an explicit KMS-encrypted log group with bounded retention, configuration in
 * one encrypted `BATCH_CONFIG` variable.
 */
export class BatchFunction<H extends BatchHandlerName = BatchHandlerName> extends Construct {
  public readonly function: NodejsFunction;
  public readonly logGroup: logs.LogGroup;
  /** The function's role: own logs, X-Ray and (in a VPC) ENI management only; callers add data permissions. */
  public readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: BatchFunctionProps<H>) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      encryptionKey: props.key,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.role = new iam.Role(this, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), description: props.description });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'WriteOwnLogs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [this.logGroup.logGroupArn] }),
    );
    const wildcard = ['xray:PutTraceSegments and xray:PutTelemetryRecords (active tracing) support no resource-level permissions'];
    if (props.vpc) {
      // What AWSLambdaVPCAccessExecutionRole grants, written out: ENI management has no resource-level scoping.
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'ManageVpcInterfaces',
          actions: ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets', 'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'],
          resources: ['*'],
        }),
      );
      wildcard.push('the ec2 network-interface actions Lambda needs to attach the function to the VPC, on * as in AWSLambdaVPCAccessExecutionRole: Lambda creates and deletes the interfaces at run time, under ids unknown at deploy');
    }
    wildcard.push(...(props.unscopedReasons ?? []));
    Validations.of(this.role).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason: `Only ${wildcard.join('; and ')}.` });
    this.function = new NodejsFunction(this, 'Function', {
      role: this.role,
      entry: path.join(BATCH_HANDLER_DIR, `${props.handler}.ts`),
      handler: 'handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.minutes(5),
      tracing: lambda.Tracing.ACTIVE,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      environment: { NODE_OPTIONS: '--enable-source-maps', ...props.environment, BATCH_CONFIG: Stack.of(this).toJsonString(props.config) },
      environmentEncryption: props.key,
      vpc: props.vpc,
      vpcSubnets: props.vpc ? props.vpcSubnets : undefined,
      securityGroups: props.securityGroups,
      bundling: {
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        target: 'node22',
        format: OutputFormat.CJS,
        externalModules: ['@aws-sdk/*', 'pg-native'],
        ...(props.bundledFiles && Object.keys(props.bundledFiles).length ? { commandHooks: copyFiles(props.bundledFiles) } : {}),
      },
    });
    // Names the runtime-config entry the handler parses, for the deploy-readiness check (lib/readiness/).
    const runtimeConfig: RuntimeConfigName = `batch-${props.handler}`;
    (this.function.node.defaultChild as CfnResource).addMetadata(RUNTIME_CONFIG_METADATA, runtimeConfig);
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'Pinned to nodejs22.x on purpose: the bundle targets node22 (esbuild target) and runtime upgrades are a reviewed change.',
    });
  }
}

/** Bundling hooks that copy extra files into the bundle's output folder. */
export function copyFiles(files: Record<string, string>): NonNullable<NonNullable<lambda_nodejs.BundlingOptions['commandHooks']>> {
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (_input, output) => Object.entries(files).map(([name, source]) => `cp ${JSON.stringify(source)} ${JSON.stringify(path.join(output, name))}`),
  };
}
