/**
 * The lake port's contract (lambda/contracts/lake.ts), run against both adapters: the filesystem lake on a temporary
 * directory and the S3 lake on an in-memory S3 (aws-sdk-client-mock) that pages its listings two keys at a time.
 * Then what only one adapter does: S3 requests and errors, the filesystem's key checks and atomic writes.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { LAKE_ZONES, lakeBucketName, type LakeStore } from '../../lambda/contracts/lake';
import { FsLakeStore } from '../../lambda/shared/fs-lake-store';
import { S3LakeStore } from '../../lambda/shared/s3-lake-store';

const BUCKETS = { raw: 'lake-raw', staging: 'lake-staging', quarantine: 'lake-quarantine' };
const PAGE = 2;

const s3 = mockClient(S3Client);
/** `<bucket>/<key>` → object. */
const objects = new Map<string, { body: Buffer; contentType?: string }>();

type Input = { Bucket: string; Key: string; Body: string | Uint8Array; ContentType?: string; Prefix?: string; ContinuationToken?: string };
function inMemoryS3(): void {
  s3.reset();
  objects.clear();
  s3.on(PutObjectCommand).callsFake(async (i: Input) => {
    objects.set(`${i.Bucket}/${i.Key}`, { body: Buffer.from(i.Body), contentType: i.ContentType });
    return {};
  });
  s3.on(GetObjectCommand).callsFake(async (i: Input) => {
    const o = objects.get(`${i.Bucket}/${i.Key}`);
    if (!o) throw Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' });
    return { Body: { transformToByteArray: async () => new Uint8Array(o.body) } };
  });
  // S3 lists in key order, a page at a time; the continuation token here is the last key of the previous page.
  s3.on(ListObjectsV2Command).callsFake(async (i: Input) => {
    const keys = [...objects.keys()]
      .filter((k) => k.startsWith(`${i.Bucket}/${i.Prefix ?? ''}`))
      .map((k) => k.slice(i.Bucket.length + 1))
      .sort()
      .filter((k) => i.ContinuationToken === undefined || k > i.ContinuationToken);
    const page = keys.slice(0, PAGE);
    const truncated = keys.length > PAGE;
    const next = truncated ? page[PAGE - 1] : undefined;
    return { Contents: page.map((Key) => ({ Key })), IsTruncated: truncated, NextContinuationToken: next };
  });
  s3.on(DeleteObjectsCommand).callsFake(async (i: { Bucket: string; Delete: { Objects: { Key: string }[] } }) => {
    for (const o of i.Delete.Objects) objects.delete(`${i.Bucket}/${o.Key}`);
    return {};
  });
}

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lake-store-'));
  inMemoryS3();
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
afterAll(() => s3.restore());

const fsLake = () => new FsLakeStore(dir);
const s3Lake = () => new S3LakeStore(new S3Client({ region: 'eu-west-1' }), BUCKETS);

const text = (b: Buffer | undefined) => b?.toString('utf8');
const KEYS = [
  'stream/order_placed/dt=2026-06-01/hr=10/b.ndjson',
  'stream/order_placed/dt=2026-06-01/hr=10/a.ndjson',
  'stream/order_placed/dt=2026-06-01/hr=11/a.ndjson',
  'stream/page_view/dt=2026-06-01/hr=10/a.ndjson',
  'oltp/orders/dt=2026-06-01/hr=10/orders.manifest.json',
];
const putAll = (lake: LakeStore, keys = KEYS) => Promise.all(keys.map((k) => lake.put('staging', k, k)));

const SORTED_LIST = 'list returns every key under a prefix, sorted, over several pages';
const MISSING_GET = 'get of a missing object is undefined';
const DELETE = 'delete removes the given objects, ignores missing ones and keeps the rest';

/** What every adapter of the lake port must do. */
const CONTRACT: Record<string, (lake: LakeStore) => Promise<void>> = {
  'get returns the bytes put stored, from a string or from bytes': async (lake) => {
    await lake.put('staging', 'a/x.ndjson', '{"a":1}\n');
    await lake.put('raw', 'a/y.gz', new Uint8Array([0x1f, 0x8b, 0x00, 0xff]));
    expect(text(await lake.get('staging', 'a/x.ndjson'))).toBe('{"a":1}\n');
    expect([...((await lake.get('raw', 'a/y.gz')) ?? [])]).toEqual([0x1f, 0x8b, 0x00, 0xff]);
  },
  [MISSING_GET]: async (lake) => {
    expect(await lake.get('staging', 'nothing/here.json')).toBeUndefined();
  },
  'put replaces an object': async (lake) => {
    await lake.put('staging', 'a/x.json', 'first');
    await lake.put('staging', 'a/x.json', 'second');
    expect(text(await lake.get('staging', 'a/x.json'))).toBe('second');
    expect(await lake.list('staging', 'a/')).toEqual(['a/x.json']);
  },
  'zones are separate': async (lake) => {
    await lake.put('quarantine', 'stream/x.ndjson', 'q');
    for (const zone of LAKE_ZONES.filter((z) => z !== 'quarantine')) {
      expect(await lake.get(zone, 'stream/x.ndjson')).toBeUndefined();
      expect(await lake.list(zone, '')).toEqual([]);
    }
  },
  [SORTED_LIST]: async (lake) => {
    await putAll(lake);
    expect(await lake.list('staging', 'stream/order_placed/')).toEqual([KEYS[1], KEYS[0], KEYS[2]]);
    expect(await lake.list('staging', '')).toEqual([...KEYS].sort());
  },
  'list matches a prefix that ends inside a folder or file name': async (lake) => {
    await putAll(lake);
    expect(await lake.list('staging', 'stream/order')).toEqual([KEYS[1], KEYS[0], KEYS[2]]);
    expect(await lake.list('staging', 'stream/order_placed/dt=2026-06-01/hr=10/a')).toEqual([KEYS[1]]);
    expect(await lake.list('staging', 'stream/click')).toEqual([]);
  },
  [DELETE]: async (lake) => {
    await putAll(lake);
    await lake.delete('staging', [KEYS[0], 'stream/never/written.ndjson', KEYS[3]]);
    await lake.delete('staging', []);
    expect(await lake.list('staging', '')).toEqual([KEYS[1], KEYS[2], KEYS[4]].sort());
    expect(await lake.get('staging', KEYS[0])).toBeUndefined();
  },
};

describe.each([
  ['filesystem', fsLake],
  ['S3', s3Lake],
])('the %s lake honours the lake port contract', (_name, make) => {
  test.each(Object.entries(CONTRACT))('%s', (_check, check) => check(make()));
});

describe('the contract suite catches a broken lake', () => {
  /** The filesystem lake with one method replaced. */
  const broken = (override: Partial<LakeStore>): LakeStore => Object.assign(Object.create(fsLake()) as LakeStore, override);

  test('a listing in write order', async () => {
    const lake = fsLake();
    const reversed = broken({ list: async (zone, prefix) => (await lake.list(zone, prefix)).reverse() });
    await expect(CONTRACT[SORTED_LIST](reversed)).rejects.toThrow();
  });

  test('an empty object for a missing key', async () => {
    await expect(CONTRACT[MISSING_GET](broken({ get: async () => Buffer.alloc(0) }))).rejects.toThrow();
  });

  test('a delete that stops at the first missing key', async () => {
    const lake = fsLake();
    const stopping: LakeStore['delete'] = async (zone, keys) => {
      for (const key of keys) {
        if ((await lake.get(zone, key)) === undefined) return;
        await lake.delete(zone, [key]);
      }
    };
    await expect(CONTRACT[DELETE](broken({ delete: stopping }))).rejects.toThrow();
  });
});

describe('S3 lake', () => {
  test('one bucket per zone; the content type given, or application/octet-stream', async () => {
    const lake = s3Lake();
    await lake.put('staging', 'stream/a.ndjson', '{}\n', 'application/x-ndjson');
    await lake.put('raw', 'oltp/a.gz', new Uint8Array([1]));
    expect(objects.get('lake-staging/stream/a.ndjson')?.contentType).toBe('application/x-ndjson');
    expect(objects.get('lake-raw/oltp/a.gz')?.contentType).toBe('application/octet-stream');
    expect(lake.uri('quarantine', 'stream/x.ndjson')).toBe('s3://lake-quarantine/stream/x.ndjson');
  });

  test('deletes 1,000 keys per request', async () => {
    const keys = Array.from({ length: 2_500 }, (_, i) => `oltp/orders/part-${String(i).padStart(5, '0')}.ndjson.gz`);
    await s3Lake().delete('raw', keys);
    expect(s3.commandCalls(DeleteObjectsCommand).map((c) => c.args[0].input.Delete?.Objects?.length)).toEqual([1000, 1000, 500]);
  });

  test('a key S3 fails to delete fails the call, naming it', async () => {
    s3.on(DeleteObjectsCommand).resolves({ Errors: [{ Key: 'oltp/b.gz', Code: 'AccessDenied', Message: 'Access Denied' }] });
    const failure = 'S3 delete failed for 1 objects, first: oltp/b.gz Access Denied';
    await expect(s3Lake().delete('raw', ['oltp/a.gz', 'oltp/b.gz'])).rejects.toThrow(failure);
  });

  test('errors other than a missing key are thrown', async () => {
    s3.on(GetObjectCommand).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));
    await expect(s3Lake().get('staging', 'a.json')).rejects.toThrow('Access Denied');
  });
});

describe('filesystem lake', () => {
  test('keys are clean relative keys: none reaches outside its zone folder', async () => {
    const lake = fsLake();
    for (const key of ['../raw/x.json', 'a/../../x.json', '/etc/x.json', 'a//x.json', '']) {
      await expect(lake.put('staging', key, 'x')).rejects.toThrow(/not a clean relative key/);
      await expect(lake.get('staging', key)).rejects.toThrow(/not a clean relative key/);
    }
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  test('writes are atomic: no partial file stays behind, and one being written is never listed', async () => {
    const lake = fsLake();
    await Promise.all(Array.from({ length: 20 }, (_, i) => lake.put('staging', 'a/x.json', `v${i}`)));
    expect(fs.readdirSync(path.join(dir, 'staging', 'a'))).toEqual(['x.json']);
    fs.writeFileSync(path.join(dir, 'staging', 'a', 'y.json.tmp-1234'), 'half');
    expect(await lake.list('staging', 'a/')).toEqual(['a/x.json']);
    expect(lake.uri('staging', 'a/x.json')).toBe(path.join(dir, 'staging', 'a', 'x.json'));
  });
});

describe('lake bucket names', () => {
  test('<prefix>-<env>-<bucket>-<account>-<region>, as the tools outside CloudFormation address them', () => {
    expect(lakeBucketName('dataflow-prod', 'staging', '123456789012', 'eu-west-1')).toBe('dataflow-prod-staging-123456789012-eu-west-1');
    const logs = lakeBucketName('dataflow-dev', 'access-logs', '123456789012', 'eu-west-1');
    expect(logs).toBe('dataflow-dev-access-logs-123456789012-eu-west-1');
  });
});
