import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import type { StreamLake } from '../../lambda/stream-processor/ports';
import { runChaos } from '../../scripts/local/faults/chaos';
import { COUNTING_READERS } from '../../scripts/local/faults/accounting';
import type { FaultPlan, PutFate } from '../../scripts/local/faults/simulator';
import { runStreamScenario, STREAM_SCENARIO_SPECS, type StreamScenarioResult } from '../../scripts/local/faults/stream';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'stream-faults-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
const spec = (name: string) => {
  const s = STREAM_SCENARIO_SPECS.find((x) => x.name === name);
  if (!s) throw new Error(name);
  return s;
};

describe('stream fault matrix: every scenario through the real handler and a directory lake', () => {
  let baseline: StreamScenarioResult;
  beforeAll(async () => {
    baseline = await runStreamScenario(spec('stream: no fault'), { root });
  });

  test.each(STREAM_SCENARIO_SPECS.map((s) => s.name))(
    '%s: nothing lost, nothing counted twice, same counts as without faults',
    async (name) => {
      const r = await runStreamScenario(spec(name), { root });
      expect({ lost: r.lost, duplicated: r.duplicated, skipped: r.skipped }).toEqual({ lost: 0, duplicated: 0, skipped: 0 });
      expect({ inWarehouse: r.inWarehouse, quarantined: r.quarantined, alerted: r.alerted }).toEqual({
        inWarehouse: baseline.inWarehouse,
        quarantined: baseline.quarantined,
        alerted: baseline.alerted,
      });
      expect(r.inWarehouse + r.quarantined).toBe(r.recordsIn);
      // Every anomaly in the lake was announced (these scenarios' batches find the same anomalies however they are split).
      expect(r.unannounced).toBe(0);
      if (name !== 'stream: no fault') expect(r.invocations).toBeGreaterThan(baseline.invocations);
    },
  );

  test('the baseline finds anomalies and quarantines records (the matrix has something to count)', () => {
    expect(baseline.alerted).toBeGreaterThan(10);
    expect(baseline.quarantined).toBeGreaterThan(10);
    expect(baseline.invocations).toBe(2);
  });
});

describe('the one window the outbox cannot close', () => {
  test('an invocation that dies after SNS accepted a message and before the ledger marked it sent: that message is sent again once its claim expires, nothing else', async () => {
    const r = await runStreamScenario(
      { name: 'stream: die after publish', plan: () => ({ dieAfterPublish: ({ n }) => n === 1 }) },
      { root },
    );
    const clean = await runStreamScenario(spec('stream: no fault'), { root });
    expect({ lost: r.lost, skipped: r.skipped, unannounced: r.unannounced }).toEqual({ lost: 0, skipped: 0, unannounced: 0 });
    expect({ inWarehouse: r.inWarehouse, quarantined: r.quarantined, alerted: r.alerted }).toEqual({
      inWarehouse: clean.inWarehouse,
      quarantined: clean.quarantined,
      alerted: clean.alerted,
    });
    // The re-sent message is the only copy: fewer than all alerted entries, more than none.
    expect(r.duplicated).toBeGreaterThan(0);
    expect(r.duplicated).toBeLessThan(r.alerted);
  });
});

describe('the accounting detects what a broken platform would do', () => {
  test.each(['stream: die after write, bisect', 'stream: failed rollback', 'stream: random mix'])(
    '%s leaves copies in the lake that only the readers’ de-duplication removes',
    async (name) => {
      const counted = await runStreamScenario(spec(name), { root, readers: COUNTING_READERS });
      expect(counted.duplicated).toBeGreaterThan(0);
      expect(counted.inWarehouse).toBeGreaterThan(counted.recordsIn - counted.quarantined);
    },
  );

  test('random object keys: an ambiguous PUT is no longer overwritten or rolled back, and the copies show', async () => {
    let n = 0;
    const randomKeys = (lake: StreamLake): StreamLake => ({
      put: (z, k, b, type) => lake.put(z, k.replace(/\.ndjson$/, `-${++n}.ndjson`), b, type),
      delete: async () => undefined,
    });
    const deterministic = await runStreamScenario(spec('stream: ambiguous PUT'), { root, readers: COUNTING_READERS });
    expect(deterministic.duplicated).toBe(0);
    const broken = await runStreamScenario(spec('stream: ambiguous PUT'), { root, readers: COUNTING_READERS, lake: randomKeys });
    expect(broken.duplicated).toBeGreaterThan(0);
  });

  test('a lake that acknowledges writes it never stored: records are lost', async () => {
    let n = 0;
    const r = await runStreamScenario(spec('stream: no fault'), {
      root,
      lake: (lake) => ({
        put: (z, k, b, type) => (++n % 5 === 0 ? Promise.resolve() : lake.put(z, k, b, type)),
        delete: (z, keys) => lake.delete(z, keys),
      }),
    });
    expect(r.lost).toBeGreaterThan(0);
  });

  test('chaos: one table, figures written, not ok when any row lost or duplicated', async () => {
    const out = path.join(root, 'faults.json');
    const lines: string[] = [];
    const good = { scenario: 'fine', recordsIn: 3, inWarehouse: 2, quarantined: 1, duplicated: 0, lost: 0 };
    const res = await runChaos(
      [
        { name: 'fine', area: 'stream', run: async () => good },
        { name: 'leaky', area: 'batch', run: async () => ({ ...good, scenario: 'leaky', lost: 1 }) },
      ],
      out,
      (l) => lines.push(l),
    );
    expect(res.ok).toBe(false);
    expect(lines[0]).toMatch(/scenario\s+records in\s+in warehouse\s+quarantined\s+duplicated\s+lost/);
    expect(lines.some((l) => /^leaky\s+3\s+2\s+1\s+0\s+1$/.test(l))).toBe(true);
    expect(JSON.parse(fs.readFileSync(out, 'utf8'))).toEqual({ rows: [good, { ...good, scenario: 'leaky', lost: 1 }], ok: false });
    expect((await runChaos([{ name: 'fine', area: 'stream', run: async () => good }], out, () => undefined)).ok).toBe(true);
  });
});

describe('property: under any failure sequence the counts people see equal the distinct input records', () => {
  const fate = fc.constantFrom<PutFate>('ok', 'ok', 'ok', 'ok', 'ok', 'ok', 'fail', 'ambiguous', 'die');
  test('random S3 failures, ambiguous successes, deaths with random bisect splits, SNS outages and redelivery sizes', async () => {
    const clean = await runStreamScenario({ name: 'property clean', records: 300, plan: () => ({ batchSize: () => 120 }) }, { root });
    await fc.assert(
      fc.asyncProperty(
        fc.array(fate, { minLength: 1, maxLength: 60 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 20 }),
        fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 20 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 20 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 20 }),
        async (fates, sns, sizes, splits, deletes) => {
          const plan = (): FaultPlan => ({
            put: ({ n }) => fates[n - 1] ?? 'ok',
            deleteOk: ({ n }) => deletes[n - 1] ?? true,
            snsUp: ({ n }) => sns[n - 1] ?? true,
            batchSize: ({ n }) => sizes[(n - 1) % sizes.length],
            split: (length) => Math.round(splits[length % splits.length] * length),
          });
          const r = await runStreamScenario({ name: 'property', records: 300, plan, maxRetries: 100 }, { root });
          expect({ lost: r.lost, duplicated: r.duplicated, skipped: r.skipped }).toEqual({ lost: 0, duplicated: 0, skipped: 0 });
          expect({ inWarehouse: r.inWarehouse, quarantined: r.quarantined }).toEqual({
            inWarehouse: clean.inWarehouse,
            quarantined: clean.quarantined,
          });
        },
      ),
      { numRuns: 40 },
    );
  });
});
