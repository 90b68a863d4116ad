import { plan } from '../../lambda/batch/control';
import { createHandler } from '../../lambda/batch/handlers/control';
import { MemoryLeaseStore } from '../../lambda/batch/leases';
import { MemoryLoadOrderStore } from '../../lambda/batch/load-order';

describe('plan(): one aligned hour per execution', () => {
  test('a 48-hour window is refused, naming window.end', () => {
    expect(() => plan({ window: { start: '2026-06-01T00:00:00.000Z', end: '2026-06-03T00:00:00.000Z' } })).toThrow(
      /window\.end: must be exactly one hour after window\.start/,
    );
  });
  test('a two-hour window and an end before the start are refused too; one hour passes', () => {
    expect(() => plan({ window: { start: '2026-06-01T10:00:00.000Z', end: '2026-06-01T12:00:00.000Z' } })).toThrow(/window\.end/);
    expect(() => plan({ window: { start: '2026-06-01T10:00:00.000Z', end: '2026-06-01T09:00:00.000Z' } })).toThrow(
      /window\.end: window end must be after its start/,
    );
    expect(plan({ window: { start: '2026-06-01T10:00:00.000Z', end: '2026-06-01T11:00:00.000Z' } }).windowId).toBe('20260601t1000');
  });
  test('the control Lambda refuses it before planning', async () => {
    const h = createHandler({
      leases: new MemoryLeaseStore(),
      loadOrder: new MemoryLoadOrderStore(new MemoryLeaseStore()),
      leaseTtlSeconds: 60,
      metrics: () => undefined,
    });
    await expect(
      h({ action: 'plan', input: { window: { start: '2026-06-01T00:00:00.000Z', end: '2026-06-03T00:00:00.000Z' } } }),
    ).rejects.toThrow(/input\.window\.end: must be exactly one hour/);
  });
});
