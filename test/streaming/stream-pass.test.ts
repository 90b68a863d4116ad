import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runStreamPass, shardOf } from '../../scripts/local/stream/pass';

describe('local stream pass (make demo)', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'stream-pass-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  test('runs the real handler over a directory lake: reconciles exactly, every defect quarantined with its label, anomalies scored', async () => {
    const r = await runStreamPass({ count: 12_000, seed: 1, root });
    expect(r.recordsIn).toBeGreaterThanOrEqual(12_000);
    expect(r.valid + r.quarantined).toBe(r.recordsIn);
    expect(r.reconciled).toBe(true);
    expect(r.misclassified).toBe(0);
    expect(r.reasonMismatches).toBe(0);
    expect(r.quarantined).toBeGreaterThan(0);
    for (const [type, s] of Object.entries(r.anomalies)) {
      expect({ type, injected: s.injected > 0 }).toEqual({ type, injected: true });
      expect(s.recall).toBeGreaterThanOrEqual(0.9);
      expect(s.precision).toBeGreaterThanOrEqual(0.9);
    }
    // The lake uses the documented key layout.
    const staged = fs.readdirSync(path.join(root, '.local', 'lake', 'staging', 'stream'));
    expect(staged).toEqual(expect.arrayContaining(['order_placed', 'page_view', 'customer_login']));
    const figures = JSON.parse(fs.readFileSync(path.join(root, '.local', 'demo', 'stream.json'), 'utf8'));
    expect(figures.recordsIn).toBe(r.recordsIn);
    // Idempotent: a second run replaces the previous output instead of adding to it.
    const again = await runStreamPass({ count: 12_000, seed: 1, root });
    expect(again.valid).toBe(r.valid);
    expect(again.files).toEqual(r.files);
  });

  test('shards by MD5 of the partition key, evenly', () => {
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4_000; i++) counts[shardOf(`C${i}`, 4)]++;
    for (const c of counts) expect(c).toBeGreaterThan(850);
  });
});
