/**
 * The stage-manifest layout is written once in TypeScript (lambda/contracts/stage-manifest.ts) and mirrored for the Glue
 * job in glue-scripts/dataflow_glue/layout.py: both must name the same keys and read the same files of a manifest.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { loadEnvironmentConfig } from '../../lib/config';
import { environmentConfigSchema } from '../../lib/config/schema';
import { manifestKeys, stageManifestKey, STREAM_LATE_HOURS, type StageManifest } from '../../lambda/contracts/stage-manifest';

const REPO = path.resolve(__dirname, '..', '..');
const CASES: [string, string, string][] = [
  ['extract', 'orders', '2026-06-01T10:00:00.000Z'],
  ['quality', 'order_items', '2026-12-31T23:00:00.000Z'],
  ['quality', 'customers', '2026-01-01T00:00:00.000Z'],
  ['conform', 'conform', '2026-06-01T09:00:00.000Z'],
];
const MANIFEST: StageManifest = {
  stage: 'quality',
  entity: 'orders',
  window: { start: '2026-06-01T10:00:00.000Z', end: '2026-06-01T11:00:00.000Z' },
  rows: 3,
  files: [
    { zone: 'staging', key: 'oltp/orders/dt=2026-06-01/hr=10/orders-00000.ndjson.gz', rows: 3, bytes: 120 },
    { zone: 'quarantine', key: 'oltp/orders/reason=invalid_value/dt=2026-06-01/hr=10/orders-00000.ndjson.gz', rows: 1, bytes: 90 },
  ],
};

function python(code: string, input: unknown): unknown {
  const out = execFileSync(path.join(REPO, '.venv', 'bin', 'python'), ['-c', code], {
    input: JSON.stringify(input),
    env: { ...process.env, PYTHONPATH: path.join(REPO, 'glue-scripts') },
    encoding: 'utf8',
  });
  return JSON.parse(out);
}

test('the Glue mirror names the same manifest keys and reads the same files as the TypeScript', () => {
  const code = [
    'import json, sys',
    'from dataflow_glue.layout import manifest_keys, parse_window_start, stage_manifest_key',
    'cases, manifest = json.load(sys.stdin)',
    'print(json.dumps({"keys": [stage_manifest_key(s, e, parse_window_start(t.replace(".000Z", "Z"))) for s, e, t in cases],',
    '                  "staging": manifest_keys(manifest, "staging")}))',
  ].join('\n');
  const fromPython = python(code, [CASES, MANIFEST]);
  expect(fromPython).toEqual({
    keys: CASES.map(([s, e, t]) => stageManifestKey(s as never, e, t)),
    staging: manifestKeys(MANIFEST, 'staging'),
  });
  expect(stageManifestKey('quality', 'orders', MANIFEST.window.start)).toBe('oltp/orders/dt=2026-06-01/hr=10/orders.manifest.json');
});

test('the late-object sweep covers the longest record age any environment lets the stream processor retry for', () => {
  for (const env of ['dev', 'staging', 'prod']) {
    const { maxRecordAgeSeconds } = loadEnvironmentConfig(env).streaming;
    expect(Math.ceil(maxRecordAgeSeconds / 3600) + 1).toBeLessThanOrEqual(STREAM_LATE_HOURS);
  }
  // and the largest value the config schema accepts: one second more is refused, naming the field
  const dev = loadEnvironmentConfig('dev');
  const withAge = (s: number) => environmentConfigSchema.safeParse({ ...dev, streaming: { ...dev.streaming, maxRecordAgeSeconds: s } });
  expect(withAge((STREAM_LATE_HOURS - 1) * 3600).success).toBe(true);
  const refused = withAge((STREAM_LATE_HOURS - 1) * 3600 + 1);
  expect(refused.success).toBe(false);
  expect(refused.error?.issues[0].path).toEqual(['streaming', 'maxRecordAgeSeconds']);
});
