import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compareSnapshot, writeSnapshot } from '../../scripts/integ-snapshot';

const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);
let root: string;

function assembly(name: string, files: Record<string, unknown>): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  for (const [f, v] of Object.entries(files)) fs.writeFileSync(path.join(dir, f), JSON.stringify(v, null, 1));
  return dir;
}

const template = (memory: number, hash: string, salt: string) => ({
  Resources: {
    Fn: { Type: 'AWS::Lambda::Function', Properties: { MemorySize: memory, Code: { S3Key: `${hash}.zip` } } },
    Call: { Properties: { salt } },
  },
});
const manifest = (version: string) => ({
  version,
  artifacts: { 'Stack-dev': { type: 'aws:cloudformation:stack', metadata: { '/x': [] } } },
});

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'integ-snapshot-test-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

test('asset hashes, assertion salts, asset manifests and the schema version do not count', () => {
  const committed = assembly('committed', {
    'manifest.json': manifest('53.0.0'),
    'Stack-dev.template.json': template(1024, HASH_A, '1'),
    'Stack-dev.assets.json': { x: 1 },
  });
  const synthesized = assembly('synth', {
    'manifest.json': manifest('55.0.0'),
    'Stack-dev.template.json': template(1024, HASH_B, '2'),
    'Stack-dev.assets.json': { x: 2 },
  });
  expect(compareSnapshot(synthesized, committed)).toEqual([]);
});

test('a changed template property is a difference, named by file and line', () => {
  const committed = assembly('committed', { 'manifest.json': manifest('55.0.0'), 'Stack-dev.template.json': template(1024, HASH_A, '1') });
  const synthesized = assembly('synth', { 'manifest.json': manifest('55.0.0'), 'Stack-dev.template.json': template(1536, HASH_A, '1') });
  expect(compareSnapshot(synthesized, committed)).toEqual([
    { file: 'Stack-dev.template.json', problem: expect.stringMatching(/MemorySize.*1024.*MemorySize.*1536/) },
  ]);
});

test('an added or removed stack is a difference; a missing snapshot fails every file', () => {
  const committed = assembly('committed', { 'manifest.json': manifest('55.0.0'), 'Old-dev.template.json': template(1, HASH_A, '1') });
  const synthesized = assembly('synth', { 'manifest.json': manifest('55.0.0'), 'New-dev.template.json': template(1, HASH_A, '1') });
  expect(compareSnapshot(synthesized, committed).map((d) => d.file)).toEqual(['Old-dev.template.json', 'New-dev.template.json']);
  expect(compareSnapshot(synthesized, path.join(root, 'none')).map((d) => d.problem)).toEqual([
    'synthesized, missing from the snapshot',
    'synthesized, missing from the snapshot',
  ]);
});

test('an updated snapshot matches what it was written from and holds no asset bundles', () => {
  const synthesized = assembly('synth', {
    'manifest.json': manifest('55.0.0'),
    'Stack-dev.template.json': template(1024, HASH_A, '7'),
    'tree.json': {},
  });
  fs.mkdirSync(path.join(synthesized, `asset.${HASH_A}`));
  const snapshot = path.join(root, 'snapshot');
  writeSnapshot(synthesized, snapshot);
  expect(fs.readdirSync(snapshot).sort()).toEqual(['Stack-dev.template.json', 'manifest.json']);
  expect(fs.readFileSync(path.join(snapshot, 'Stack-dev.template.json'), 'utf8')).not.toContain(HASH_A);
  expect(compareSnapshot(synthesized, snapshot)).toEqual([]);
});
