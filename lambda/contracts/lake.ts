/**
 * The lake as infrastructure and runtime both see it: its zones, the names of its buckets and the one port every
 * component reads and writes it through. The object-key layout inside a zone is in `lake-keys.ts`, the stage manifests
 * in `stage-manifest.ts`. Documented in docs/lake-layout.md.
 */

/** The lake's zones, one bucket each. */
export const LAKE_ZONES = ['raw', 'staging', 'quarantine'] as const;
export type LakeZone = (typeof LAKE_ZONES)[number];

/** A lake bucket: a zone, or the server-access-log target of the zones. */
export type LakeBucket = LakeZone | 'access-logs';

/**
 * The physical name of a lake bucket, `<namePrefix>-<bucket>-<account>-<region>` (S3 names are global; account and
 * region keep them unique). The infrastructure passes the CloudFormation pseudo parameters `${AWS::AccountId}` and
 * `${AWS::Region}` and resolves the result with `Fn::Sub`; tools outside CloudFormation pass the real account and region.
 *
 * @param namePrefix the environment's lower-case name prefix, `<prefix>-<env>`
 */
export function lakeBucketName(namePrefix: string, bucket: LakeBucket, account: string, region: string): string {
  return `${namePrefix}-${bucket}-${account}-${region}`;
}

/** The content type of newline-delimited JSON objects (stream objects, batch parts). */
export const NDJSON_CONTENT_TYPE = 'application/x-ndjson';

/**
 * The lake port: objects by zone and key (keys from `lake-keys.ts`). On AWS one bucket per zone
 * (lambda/shared/s3-lake-store.ts); locally `<root>/<zone>/<key>` (lambda/shared/fs-lake-store.ts). Errors other than
 * a missing object are thrown.
 *
 * @typeParam Z the zones an adapter serves (the stream processor's has no raw bucket)
 */
export interface LakeStore<Z extends LakeZone = LakeZone> {
  /** Writes (or replaces) one object, stored with `contentType` (default `application/octet-stream`). */
  put(zone: Z, key: string, body: string | Uint8Array, contentType?: string): Promise<void>;
  /** The object's bytes, or `undefined` if it does not exist. */
  get(zone: Z, key: string): Promise<Buffer | undefined>;
  /** Every key that starts with `prefix`, sorted. */
  list(zone: Z, prefix: string): Promise<string[]>;
  /** Deletes the objects; keys that do not exist are ignored. */
  delete(zone: Z, keys: readonly string[]): Promise<void>;
  /** Where an object lives, for people: `s3://bucket/key` or a file path. */
  uri(zone: Z, key: string): string;
}
