import { RemovalPolicy, Tags, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as redshift from 'aws-cdk-lib/aws-redshiftserverless';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { nagText } from '../nag-text';

/** Audit logs Redshift Serverless exports to CloudWatch Logs. */
export const AUDIT_LOG_TYPES = ['connectionlog', 'userlog', 'useractivitylog'] as const;

/** IAM principal tag Redshift reads at IAM login (GetCredentials) to give the session its database roles. */
export const DB_ROLES_TAG = 'RedshiftDbRoles';

/**
 * Gives an IAM role database roles in the warehouse when it connects with IAM credentials (Data API without a
 * secret, dbt `method: iam`): tags it `RedshiftDbRoles=<role1>:<role2>`. The roles must exist (the warehouse
 * setup creates `analysts`, `dataflow_loader`, `dataflow_transformer`).
 */
export function assignDbRoles(role: iam.IRole, dbRoles: readonly string[]): void {
  if (dbRoles.length === 0 || dbRoles.some((r) => !/^[a-z_][a-z0-9_]*$/.test(r))) {
    throw new Error(`assignDbRoles: database role names must be lower-case identifiers (got ${dbRoles.join(', ')})`);
  }
  Tags.of(role).add(DB_ROLES_TAG, dbRoles.join(':'));
}

/** Redshift Serverless accepts base capacity 4, then 8–1024 RPU in steps of 8. */
export function isValidRpu(rpu: number): boolean {
  return Number.isInteger(rpu) && (rpu === 4 || (rpu >= 8 && rpu <= 1024 && rpu % 8 === 0));
}

export interface RedshiftWarehouseProps {
  /** Namespace and workgroup name (lower case, 3–64 chars). */
  readonly name: string;
  /** The database dbt and the loader use. */
  readonly databaseName: string;
  /** Base capacity in RPU. Required: the CloudFormation default (128 RPU) must never apply by omission. */
  readonly baseCapacityRpu: number;
  /** Maximum capacity in RPU (≥ base). */
  readonly maxCapacityRpu: number;
  readonly vpc: ec2.IVpc;
  /** Subnets of the workgroup (isolated, in at least three AZs). */
  readonly subnets: ec2.SubnetSelection;
  /** The lake's staging zone: COPY reads from it. */
  readonly stagingBucket: s3.IBucket;
  /** The lake key: COPY decrypts staged files with it. */
  readonly lakeKey: kms.IKey;
  /**
   * Prefixes of the staging bucket COPY may read (conformed Parquet and their manifests).
   * @default ['conformed/', 'manifests/']
   */
  readonly copyPrefixes?: readonly string[];
  /** Key of the exported audit-log groups. */
  readonly logsKey: kms.IKey;
  /** Retention of the exported audit-log groups. */
  readonly logRetention: logs.RetentionDays;
  /**
   * Admin user name (its password is generated and managed by Redshift in Secrets Manager).
   * @default 'dataflow_admin'
   */
  readonly adminUsername?: string;
  /**
   * Removal policy of the namespace (data), the warehouse key and the audit-log groups.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * Redshift Serverless, secure by default: a namespace encrypted with its own rotating CMK, admin password
 * generated and stored in Secrets Manager (encrypted with the same key), connection/user/user-activity audit logs
 * exported to encrypted log groups with bounded retention; a workgroup in isolated subnets that is not publicly
 * accessible, with enhanced VPC routing, `require_ssl` and explicit base/max capacity; a COPY role that can only
 * read the staging prefixes and decrypt with the lake key, set as the namespace's default IAM role.
 * These settings are applied after the props and cannot be switched off through them.
 */
export class RedshiftWarehouse extends Construct {
  /** Encrypts the namespace and the admin secret. */
  public readonly key: kms.Key;
  public readonly namespace: redshift.CfnNamespace;
  public readonly workgroup: redshift.CfnWorkgroup;
  /** Assumed by Redshift for COPY (`IAM_ROLE default`). */
  public readonly copyRole: iam.Role;
  /** No ingress by default; allow clients with `securityGroup.connections.allowFrom(peer, ec2.Port.tcp(5439))`. */
  public readonly securityGroup: ec2.SecurityGroup;
  public readonly auditLogGroups: logs.LogGroup[];
  public readonly workgroupName: string;
  public readonly databaseName: string;
  public readonly namespaceName: string;
  public readonly adminUsername: string;
  public readonly workgroupArn: string;
  public readonly namespaceArn: string;
  /** Host name of the workgroup endpoint (dbt `host`, port 5439). */
  public readonly endpointAddress: string;

  constructor(scope: Construct, id: string, props: RedshiftWarehouseProps) {
    super(scope, id);
    for (const [field, rpu] of [
      ['baseCapacityRpu', props.baseCapacityRpu],
      ['maxCapacityRpu', props.maxCapacityRpu],
    ] as const) {
      if (!isValidRpu(rpu)) throw new Error(`RedshiftWarehouse: ${field} must be 4 or a multiple of 8 between 8 and 1024 (got ${rpu})`);
    }
    if (props.maxCapacityRpu < props.baseCapacityRpu) throw new Error('RedshiftWarehouse: maxCapacityRpu must be ≥ baseCapacityRpu');
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    this.key = new kms.Key(this, 'Key', {
      description: `DataFlow warehouse ${props.name}: encrypts the Redshift Serverless namespace and its admin secret`,
      enableKeyRotation: true,
      removalPolicy,
    });

    this.copyRole = new iam.Role(this, 'CopyRole', {
      description: 'Redshift COPY: read conformed Parquet and manifests from the staging zone, decrypt with the lake key',
      assumedBy: new iam.CompositePrincipal(
        new iam.ServicePrincipal('redshift.amazonaws.com'),
        new iam.ServicePrincipal('redshift-serverless.amazonaws.com'),
      ),
    });
    const prefixes = props.copyPrefixes ?? ['conformed/', 'manifests/'];
    this.copyRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ReadStagedFiles',
        actions: ['s3:GetObject'],
        resources: prefixes.map((p) => props.stagingBucket.arnForObjects(`${p}*`)),
      }),
    );
    this.copyRole.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ListStagedFiles',
        actions: ['s3:ListBucket', 's3:GetBucketLocation'],
        resources: [props.stagingBucket.bucketArn],
      }),
    );
    this.copyRole.addToPolicy(
      new iam.PolicyStatement({ sid: 'DecryptWithLakeKey', actions: ['kms:Decrypt'], resources: [props.lakeKey.keyArn] }),
    );
    Validations.of(this.copyRole).acknowledge(
      ...prefixes.map((p) => ({
        id: `AwsSolutions-IAM5[Resource::${nagText(this, props.stagingBucket.arnForObjects(`${p}*`))}]`,
        reason: `COPY reads objects by key under the staging prefix ${p} (s3:GetObject only); object keys are per load and cannot be listed in advance.`,
      })),
    );

    this.auditLogGroups = AUDIT_LOG_TYPES.map(
      (type) =>
        new logs.LogGroup(this, `AuditLog-${type}`, {
          // The name Redshift Serverless exports to; creating it first sets retention and encryption.
          logGroupName: `/aws/redshift/${props.name}/${type}`,
          retention: props.logRetention,
          encryptionKey: props.logsKey,
          removalPolicy,
        }),
    );

    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `DataFlow warehouse ${props.name}: no ingress unless granted; egress stays in the isolated VPC (S3 via the gateway endpoint)`,
      allowAllOutbound: true,
    });

    this.namespace = new redshift.CfnNamespace(this, 'Namespace', {
      namespaceName: props.name,
      dbName: props.databaseName,
      adminUsername: props.adminUsername ?? 'dataflow_admin',
      manageAdminPassword: true,
      adminPasswordSecretKmsKeyId: this.key.keyArn,
      kmsKeyId: this.key.keyArn,
      iamRoles: [this.copyRole.roleArn],
      defaultIamRoleArn: this.copyRole.roleArn,
      logExports: [...AUDIT_LOG_TYPES],
    });
    this.namespace.applyRemovalPolicy(removalPolicy);
    this.auditLogGroups.forEach((g) => this.namespace.node.addDependency(g));

    const subnetIds = props.vpc.selectSubnets(props.subnets).subnetIds;
    this.workgroup = new redshift.CfnWorkgroup(this, 'Workgroup', {
      workgroupName: props.name,
      namespaceName: props.name,
      baseCapacity: props.baseCapacityRpu,
      maxCapacity: props.maxCapacityRpu,
      subnetIds,
      securityGroupIds: [this.securityGroup.securityGroupId],
      publiclyAccessible: false,
      enhancedVpcRouting: true,
      configParameters: [
        { parameterKey: 'require_ssl', parameterValue: 'true' },
        { parameterKey: 'enable_user_activity_logging', parameterValue: 'true' },
      ],
    });
    this.workgroup.node.addDependency(this.namespace);
    this.workgroup.applyRemovalPolicy(removalPolicy);

    this.workgroupName = props.name;
    this.databaseName = props.databaseName;
    this.namespaceName = props.name;
    this.adminUsername = props.adminUsername ?? 'dataflow_admin';
    this.workgroupArn = this.workgroup.attrWorkgroupWorkgroupArn;
    this.namespaceArn = this.namespace.attrNamespaceNamespaceArn;
    this.endpointAddress = this.workgroup.attrWorkgroupEndpointAddress;
  }
}
