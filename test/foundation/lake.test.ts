import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { loadEnvironmentConfig } from '../../lib/config';
import { DataLake, ZONE_TAG } from '../../lib/constructs/data-lake';
import { allEnvironments, cdkJsonContext } from '../helpers/synth';

type Resources = Record<string, { Type: string; Properties: any; DeletionPolicy?: string }>;

const { stages } = allEnvironments();
const storage = (env: string) => stages.find((s) => s.config.name === env)!.storage;
const zoneOf = (props: any): string | undefined => props.Tags?.find((t: any) => t.Key === ZONE_TAG)?.Value;
const bucketsOf = (t: Template) => t.findResources('AWS::S3::Bucket') as Resources;
const lakeKeyId = (t: Template) => Object.keys(t.findResources('AWS::KMS::Key'))[0];

describe.each(['dev', 'staging', 'prod'])('data lake in %s', (env) => {
  const t = Template.fromStack(storage(env));
  const config = loadEnvironmentConfig(env);
  const buckets = bucketsOf(t);
  const byZone = Object.fromEntries(Object.values(buckets).map((b) => [zoneOf(b.Properties) ?? 'access-logs', b]));

  test('has the three zones and an access-log bucket', () => {
    expect(Object.keys(byZone).sort()).toEqual(['access-logs', 'quarantine', 'raw', 'staging']);
  });

  test('one rotating customer-managed key encrypts every zone with bucket keys', () => {
    t.resourceCountIs('AWS::KMS::Key', 1);
    t.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    for (const zone of ['raw', 'staging', 'quarantine']) {
      expect(byZone[zone].Properties.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
        {
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [lakeKeyId(t), 'Arn'] } },
        },
      ]);
    }
    // S3 server-access-log delivery cannot write to SSE-KMS targets: the log bucket uses SSE-S3.
    expect(byZone['access-logs'].Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault).toEqual({
      SSEAlgorithm: 'AES256',
    });
  });

  test('every bucket blocks public access and denies non-TLS requests', () => {
    for (const [id, bucket] of Object.entries(buckets)) {
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      t.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: id },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  test('zone buckets log to the access-log bucket under their zone prefix', () => {
    for (const zone of ['raw', 'staging', 'quarantine']) {
      expect(byZone[zone].Properties.LoggingConfiguration).toEqual({
        DestinationBucketName: { Ref: Object.keys(buckets).find((k) => buckets[k] === byZone['access-logs']) },
        LogFilePrefix: `${zone}/`,
      });
    }
  });

  test('versioning on every zone (rollback deletes in quarantine leave a recoverable version)', () => {
    expect(byZone.raw.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(byZone.staging.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
    expect(byZone.quarantine.Properties.VersioningConfiguration).toEqual({ Status: 'Enabled' });
  });

  test('lifecycle per zone follows the environment config', () => {
    const rule = (zone: string) => byZone[zone].Properties.LifecycleConfiguration.Rules[0];
    const l = config.lake;
    expect(rule('raw')).toEqual({
      Id: 'raw-tiering',
      Status: 'Enabled',
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
      NoncurrentVersionExpiration: { NoncurrentDays: l.noncurrentVersionExpirationDays },
      Transitions: [
        { StorageClass: 'STANDARD_IA', TransitionInDays: l.rawInfrequentAccessDays },
        { StorageClass: 'GLACIER', TransitionInDays: l.rawGlacierDays },
      ],
      ...(l.rawExpirationDays !== undefined ? { ExpirationInDays: l.rawExpirationDays } : {}),
    });
    expect(rule('staging')).toEqual({
      Id: 'staging-tiering',
      Status: 'Enabled',
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
      NoncurrentVersionExpiration: { NoncurrentDays: l.noncurrentVersionExpirationDays },
      Transitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: l.stagingInfrequentAccessDays }],
      ExpirationInDays: l.stagingExpirationDays,
    });
    expect(rule('quarantine')).toEqual({
      Id: 'quarantine-expiry',
      Status: 'Enabled',
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
      ExpirationInDays: l.quarantineExpirationDays,
      NoncurrentVersionExpiration: { NoncurrentDays: l.noncurrentVersionExpirationDays },
    });
    expect(rule('access-logs')).toMatchObject({
      ExpirationInDays: l.accessLogExpirationDays,
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
    });
  });

  test('bucket names carry prefix, environment, zone, account and region', () => {
    expect(byZone.raw.Properties.BucketName).toEqual({ 'Fn::Sub': `dataflow-${env}-raw-\${AWS::AccountId}-\${AWS::Region}` });
  });
});

describe('removal policy double gate', () => {
  const policies = (env: string) => {
    const t = Template.fromStack(storage(env));
    return {
      buckets: Object.values(bucketsOf(t)).map((b) => b.DeletionPolicy),
      key: Object.values(t.findResources('AWS::KMS::Key') as Resources).map((k) => k.DeletionPolicy),
      autoDelete: Object.keys(t.findResources('Custom::S3AutoDeleteObjects')).length,
    };
  };

  test('dev says destroy AND allows data deletion: buckets are destroyed and emptied', () => {
    expect(policies('dev')).toEqual({ buckets: ['Delete', 'Delete', 'Delete', 'Delete'], key: ['Delete'], autoDelete: 4 });
  });

  test('staging retains everything', () => {
    expect(policies('staging')).toEqual({ buckets: ['Retain', 'Retain', 'Retain', 'Retain'], key: ['Retain'], autoDelete: 0 });
  });

  test('prod retains everything', () => {
    expect(policies('prod')).toEqual({ buckets: ['Retain', 'Retain', 'Retain', 'Retain'], key: ['Retain'], autoDelete: 0 });
  });
});

describe('DataLake documented defaults', () => {
  const t = (() => {
    const stack = new Stack(new App({ context: cdkJsonContext() }), 'Defaults');
    const lake = new DataLake(stack, 'Lake');
    expect(lake.effectiveRemovalPolicy).toBe(RemovalPolicy.RETAIN);
    return Template.fromStack(stack);
  })();
  const rules = Object.fromEntries(
    Object.values(bucketsOf(t)).map((b) => [zoneOf(b.Properties) ?? 'access-logs', b.Properties.LifecycleConfiguration.Rules[0]]),
  );

  test('removalPolicy RETAIN, allowDataDeletion false, generated names', () => {
    for (const b of Object.values(bucketsOf(t))) {
      expect(b.DeletionPolicy).toBe('Retain');
      expect(b.Properties.BucketName).toBeUndefined();
    }
    t.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
  });

  test('lifecycle defaults: raw 30/90 no expiry, staging 30/90, quarantine 30, non-current 30, access logs 90', () => {
    expect(rules.raw.Transitions).toEqual([
      { StorageClass: 'STANDARD_IA', TransitionInDays: 30 },
      { StorageClass: 'GLACIER', TransitionInDays: 90 },
    ]);
    expect(rules.raw.ExpirationInDays).toBeUndefined();
    expect(rules.raw.NoncurrentVersionExpiration).toEqual({ NoncurrentDays: 30 });
    expect(rules.staging).toMatchObject({ Transitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 30 }], ExpirationInDays: 90 });
    expect(rules.quarantine.ExpirationInDays).toBe(30);
    expect(rules['access-logs'].ExpirationInDays).toBe(90);
  });

  test('DESTROY without allowDataDeletion still retains, with a warning', () => {
    const stack = new Stack(new App({ context: cdkJsonContext() }), 'Gate');
    const lake = new DataLake(stack, 'Lake', { removalPolicy: RemovalPolicy.DESTROY });
    expect(lake.effectiveRemovalPolicy).toBe(RemovalPolicy.RETAIN);
    Annotations.fromStack(stack).hasWarning('/Gate/Lake', Match.stringLikeRegexp('RETAINed'));
    const t = Template.fromStack(stack);
    t.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
    for (const b of Object.values(bucketsOf(t))) expect(b.DeletionPolicy).toBe('Retain');
    const allowed = new DataLake(new Stack(new App({ context: cdkJsonContext() }), 'Gate2'), 'Lake', {
      removalPolicy: RemovalPolicy.DESTROY,
      allowDataDeletion: true,
    });
    expect(allowed.effectiveRemovalPolicy).toBe(RemovalPolicy.DESTROY);
  });
});
