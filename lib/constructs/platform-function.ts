import * as path from 'node:path';
import { Duration, RemovalPolicy, Validations, type CfnResource } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { RUNTIME_CONFIG_METADATA, type RuntimeConfigName } from '../../lambda/contracts/runtime-config';

export interface PlatformFunctionProps {
  /** The handler's TypeScript entry file (exports `handler`). */
  readonly entry: string;
  readonly description: string;
  /** @default - the function's description */
  readonly roleDescription?: string;
  /** Encrypts the function's log group. */
  readonly logsKey: kms.IKey;
  readonly logRetention: logs.RetentionDays;
  /** Removal policy of the log group. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /** Encrypts the environment variables. @default - the AWS managed Lambda key */
  readonly environmentKey?: kms.IKey;
  /** @default {} */
  readonly environment?: Record<string, string>;
  /** Node.js flags besides `--enable-source-maps` (stack traces mapped to the TypeScript sources). @default [] */
  readonly nodeOptions?: readonly string[];
  /** Powertools service name and metrics namespace, passed as `POWERTOOLS_*` variables. @default - not set */
  readonly powertools?: { readonly serviceName: string; readonly metricsNamespace: string };
  /** The runtime-config entry the handler parses (checked by lib/readiness before deploy). @default - none */
  readonly runtimeConfig?: RuntimeConfigName;
  /** @default 1024 */
  readonly memorySize?: number;
  /** @default Duration.minutes(5) */
  readonly timeout?: Duration;
  /** Run inside this VPC. @default - not in a VPC */
  readonly vpc?: ec2.IVpc;
  /** @default - the VPC's private subnets */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /** @default - one created by Lambda when `vpc` is set */
  readonly securityGroups?: ec2.ISecurityGroup[];
  /** Modules left out of the bundle besides the runtime's AWS SDK v3. @default [] */
  readonly externalModules?: readonly string[];
  /** Files copied next to the bundled handler (file name → absolute source path). @default {} */
  readonly bundledFiles?: Record<string, string>;
  /** The function's data permissions, added to its role at creation. @default [] */
  readonly initialPolicy?: iam.PolicyStatement[];
  /** Why the statements on `*` the caller adds to the role are needed (joined into the IAM5 acknowledgement). @default [] */
  readonly unscopedReasons?: readonly string[];
  /**
   * Construct ids of the log group and the role. A function that was deployed before it used this construct keeps
   * the ids (and so the logical ids) it has.
   * @default { logs: 'Logs', role: 'Role' }
   */
  readonly childIds?: { readonly logs: string; readonly role: string };
}

/**
 * One Lambda of the platform: Node 22 on arm64, bundled by local esbuild (minified, with a source map and no
 * sources), the runtime's AWS SDK left out, X-Ray active, JSON logs in its own KMS-encrypted log group with bounded
 * retention, and an explicit role that may write only that log group (plus X-Ray, and ENI management in a VPC).
 * Callers add data permissions to `role`.
 */
export class PlatformFunction extends Construct {
  public readonly function: nodejs.NodejsFunction;
  public readonly logGroup: logs.LogGroup;
  public readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: PlatformFunctionProps) {
    super(scope, id);
    const ids = props.childIds ?? { logs: 'Logs', role: 'Role' };
    this.logGroup = new logs.LogGroup(this, ids.logs, {
      retention: props.logRetention,
      encryptionKey: props.logsKey,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.role = new iam.Role(this, ids.role, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: props.roleDescription ?? props.description,
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    const wildcard = ['xray:PutTraceSegments and xray:PutTelemetryRecords (active tracing) support no resource-level permissions'];
    if (props.vpc) {
      // What AWSLambdaVPCAccessExecutionRole grants, written out: ENI management has no resource-level scoping.
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'ManageVpcInterfaces',
          actions: [
            'ec2:CreateNetworkInterface',
            'ec2:DescribeNetworkInterfaces',
            'ec2:DescribeSubnets',
            'ec2:DeleteNetworkInterface',
            'ec2:AssignPrivateIpAddresses',
            'ec2:UnassignPrivateIpAddresses',
          ],
          resources: ['*'],
        }),
      );
      wildcard.push(
        'the ec2 network-interface actions Lambda needs to attach the function to the VPC, on * as in AWSLambdaVPCAccessExecutionRole: Lambda creates and deletes the interfaces at run time, under ids unknown at deploy',
      );
    }
    wildcard.push(...(props.unscopedReasons ?? []));
    Validations.of(this.role).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason: `Only ${wildcard.join('; and ')}.` });

    const powertools: Record<string, string> = props.powertools
      ? { POWERTOOLS_SERVICE_NAME: props.powertools.serviceName, POWERTOOLS_METRICS_NAMESPACE: props.powertools.metricsNamespace }
      : {};
    const files = props.bundledFiles ?? {};
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      role: this.role,
      initialPolicy: props.initialPolicy,
      entry: props.entry,
      handler: 'handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.minutes(5),
      tracing: lambda.Tracing.ACTIVE,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      environment: { ...props.environment, ...powertools, NODE_OPTIONS: [...(props.nodeOptions ?? []), '--enable-source-maps'].join(' ') },
      environmentEncryption: props.environmentKey,
      vpc: props.vpc,
      vpcSubnets: props.vpc ? props.vpcSubnets : undefined,
      securityGroups: props.securityGroups,
      bundling: {
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        target: 'node22',
        format: nodejs.OutputFormat.CJS,
        externalModules: ['@aws-sdk/*', ...(props.externalModules ?? [])],
        ...(Object.keys(files).length ? { commandHooks: copyFiles(files) } : {}),
      },
    });
    if (props.runtimeConfig) (this.function.node.defaultChild as CfnResource).addMetadata(RUNTIME_CONFIG_METADATA, props.runtimeConfig);
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Pinned to nodejs22.x on purpose: every platform bundle targets node22 (esbuild target); runtime upgrades are one reviewed change for all functions.',
    });
  }
}

/** Bundling hooks that copy extra files into the bundle's output folder. */
export function copyFiles(files: Record<string, string>): NonNullable<nodejs.BundlingOptions['commandHooks']> {
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (_input, output) =>
      Object.entries(files).map(([name, source]) => `cp ${JSON.stringify(source)} ${JSON.stringify(path.join(output, name))}`),
  };
}
