import { Annotations, type CfnResource, Duration, Fn, RemovalPolicy, Stack, Tags, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { lakeBucketName, type LakeBucket, type LakeZone } from '../../lambda/contracts/lake';

/** Tag put on every lake bucket; tooling (the demo summary, tests) reads zones from it. */
export const ZONE_TAG = 'dataflow:zone';

/**
 * A lake bucket's name in the account and region CloudFormation deploys to (`Fn::Sub` over the pseudo parameters, so
 * environment-agnostic stacks get unique names too). Other stacks reference the zones by this name instead of
 * cross-stack exports.
 *
 * @param namePrefix the environment's lower-case name prefix, `<prefix>-<env>`
 */
export function deployedLakeBucketName(namePrefix: string, bucket: LakeBucket): string {
  return Fn.sub(lakeBucketName(namePrefix, bucket, '${AWS::AccountId}', '${AWS::Region}'));
}

export interface DataLakeProps {
  /**
   * Lower-case prefix of the bucket names: `<namePrefix>-<zone>-<account>-<region>`.
   * @default - CloudFormation-generated bucket names
   */
  readonly namePrefix?: string;
  /**
   * Requested removal policy for the buckets and the key. DESTROY takes effect only together with
   * `allowDataDeletion: true` (double gate); otherwise the lake is RETAINed and a warning is emitted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * Second gate for DESTROY: allow the buckets' objects to be deleted (`autoDeleteObjects`).
   * @default false
   */
  readonly allowDataDeletion?: boolean;
  /** @default 30 */
  readonly rawInfrequentAccessDays?: number;
  /** @default 90 */
  readonly rawGlacierDays?: number;
  /**
   * Days until raw objects expire.
   * @default - never (the raw zone is the replay source)
   */
  readonly rawExpirationDays?: number;
  /** @default 30 */
  readonly stagingInfrequentAccessDays?: number;
  /** @default 90 */
  readonly stagingExpirationDays?: number;
  /** @default 30 */
  readonly quarantineExpirationDays?: number;
  /** Days until non-current versions expire in the zones (all versioned). @default 30 */
  readonly noncurrentVersionExpirationDays?: number;
  /** @default 90 */
  readonly accessLogExpirationDays?: number;
  /**
   * Retention of the log group of the bucket-emptying function (exists only when data deletion is allowed).
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Key encrypting that log group.
   * @default - CloudWatch Logs default encryption
   */
  readonly logsKey?: kms.IKey;
}

/**
 * The data lake: raw / staging / quarantine zone buckets and a server-access-log bucket, all encrypted with one
 * rotating customer-managed key (bucket keys on), TLS-only, public access blocked, lifecycle per zone.
 *
 * Secure defaults are applied after the caller's props and cannot be turned off through them.
 */
export class DataLake extends Construct {
  /** The lake's customer-managed key (rotation on). Grant decrypt to readers of any zone. */
  public readonly key: kms.Key;
  /** Immutable landing zone: stream archives and OLTP extracts exactly as received. Versioned. */
  public readonly raw: s3.Bucket;
  /** Validated, conformed data ready for the warehouse (COPY source). Versioned. */
  public readonly staging: s3.Bucket;
  /** Rejected records with a machine-readable reason; expires after triage time. Versioned: a rollback or a
   * mistaken delete leaves the previous version for `noncurrentVersionExpirationDays`. */
  public readonly quarantine: s3.Bucket;
  /** Server-access-log target of the zone buckets (SSE-S3: S3 log delivery does not support SSE-KMS targets). */
  public readonly accessLogs: s3.Bucket;
  /** Zone name → bucket. */
  public readonly zones: Readonly<Record<LakeZone, s3.Bucket>>;
  /** The removal policy actually applied after the double gate. */
  public readonly effectiveRemovalPolicy: RemovalPolicy;

  constructor(scope: Construct, id: string, props: DataLakeProps = {}) {
    super(scope, id);
    const destroy = props.removalPolicy === RemovalPolicy.DESTROY && props.allowDataDeletion === true;
    if (props.removalPolicy === RemovalPolicy.DESTROY && !destroy) {
      Annotations.of(this).addWarningV2(
        'dataflow:lake-retained',
        'removalPolicy DESTROY requested without allowDataDeletion: the lake is RETAINed.',
      );
    }
    this.effectiveRemovalPolicy = destroy ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
    const removal = { removalPolicy: this.effectiveRemovalPolicy, autoDeleteObjects: destroy };
    const name = (bucket: LakeBucket) => (props.namePrefix ? deployedLakeBucketName(props.namePrefix, bucket) : undefined);
    const noncurrent = Duration.days(props.noncurrentVersionExpirationDays ?? 30);
    const abortMultipart = Duration.days(1);

    this.key = new kms.Key(this, 'Key', {
      description: 'DataFlow lake: encrypts every zone bucket and the data written to them',
      enableKeyRotation: true,
      removalPolicy: this.effectiveRemovalPolicy,
    });

    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      ...removal,
      bucketName: name('access-logs'),
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [
        {
          id: 'expire-access-logs',
          expiration: Duration.days(props.accessLogExpirationDays ?? 90),
          abortIncompleteMultipartUploadAfter: abortMultipart,
        },
      ],
    });
    Validations.of(this.accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the server-access-log target bucket; logging it into itself would loop.',
    });

    const zoneBucket = (zone: LakeZone, versioned: boolean, lifecycleRules: s3.LifecycleRule[]) => {
      const bucket = new s3.Bucket(this, zoneId(zone), {
        ...removal,
        bucketName: name(zone),
        encryption: s3.BucketEncryption.KMS,
        encryptionKey: this.key,
        bucketKeyEnabled: true,
        enforceSSL: true,
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        versioned,
        serverAccessLogsBucket: this.accessLogs,
        serverAccessLogsPrefix: `${zone}/`,
        lifecycleRules: lifecycleRules.map((r) => ({
          ...r,
          abortIncompleteMultipartUploadAfter: abortMultipart,
          ...(versioned ? { noncurrentVersionExpiration: noncurrent } : {}),
        })),
      });
      Tags.of(bucket).add(ZONE_TAG, zone);
      return bucket;
    };

    this.raw = zoneBucket('raw', true, [
      {
        id: 'raw-tiering',
        transitions: [
          { storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(props.rawInfrequentAccessDays ?? 30) },
          { storageClass: s3.StorageClass.GLACIER, transitionAfter: Duration.days(props.rawGlacierDays ?? 90) },
        ],
        ...(props.rawExpirationDays !== undefined ? { expiration: Duration.days(props.rawExpirationDays) } : {}),
      },
    ]);
    this.staging = zoneBucket('staging', true, [
      {
        id: 'staging-tiering',
        transitions: [
          {
            storageClass: s3.StorageClass.INFREQUENT_ACCESS,
            transitionAfter: Duration.days(props.stagingInfrequentAccessDays ?? 30),
          },
        ],
        expiration: Duration.days(props.stagingExpirationDays ?? 90),
      },
    ]);
    this.quarantine = zoneBucket('quarantine', true, [
      { id: 'quarantine-expiry', expiration: Duration.days(props.quarantineExpirationDays ?? 30) },
    ]);
    this.zones = { raw: this.raw, staging: this.staging, quarantine: this.quarantine };
    if (destroy) this.boundAutoDeleteLogs(props);
  }

  /**
   * The stack-wide bucket-emptying function CDK adds for `autoDeleteObjects` would otherwise log to an implicit
   * log group that never expires: give it an explicit, bounded one that exists before any bucket is emptied.
   */
  private boundAutoDeleteLogs(props: DataLakeProps): void {
    const provider = Stack.of(this).node.tryFindChild('Custom::S3AutoDeleteObjectsCustomResourceProvider');
    const handler = provider?.node.tryFindChild('Handler') as CfnResource | undefined;
    if (!handler) throw new Error('DataLake: the auto-delete provider was not found; CDK changed its construct ids');
    const logGroup = new logs.LogGroup(this, 'AutoDeleteObjectsLogs', {
      logGroupName: `/aws/lambda/${handler.ref}`,
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      encryptionKey: props.logsKey,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    for (const bucket of [this.accessLogs, ...Object.values(this.zones)]) {
      bucket.node.tryFindChild('AutoDeleteObjectsCustomResource')?.node.addDependency(logGroup);
    }
  }
}

function zoneId(zone: LakeZone): string {
  return zone.charAt(0).toUpperCase() + zone.slice(1);
}
