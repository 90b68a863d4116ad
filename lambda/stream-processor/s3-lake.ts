import { DeleteObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { LakeWriter } from './ports';
import type { LakeZone } from './route';

/** The lake port on S3: one bucket per zone; encryption comes from the buckets' default (lake CMK, bucket keys). */
export class S3LakeWriter implements LakeWriter {
  constructor(
    private readonly s3: S3Client,
    private readonly buckets: Readonly<Record<LakeZone, string>>,
  ) {}

  public async put(zone: LakeZone, key: string, body: string): Promise<void> {
    await this.s3.send(new PutObjectCommand({ Bucket: this.buckets[zone], Key: key, Body: body, ContentType: 'application/x-ndjson' }));
  }

  public async delete(zone: LakeZone, key: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.buckets[zone], Key: key }));
  }
}
