import { ALERT_PENDING_PREFIX, AlertOutbox, MAX_ENTRIES_PER_MESSAGE, type AlertEntry } from '../../lambda/stream-processor/alert-outbox';
import type { DocumentStore } from '../../lambda/stream-processor/ports';
import { MemoryDocumentStore } from '../../scripts/local/stream/document-stores';

const ARRIVAL = Date.UTC(2026, 10, 2, 8, 30);
const entry = (seq: number, type: AlertEntry['anomaly_type'] = 'high_amount', arrivalMs = ARRIVAL) => ({
  anomaly_type: type,
  event_id: `e${seq}`,
  shard_id: 'shardId-000000000000',
  sequence_number: String(seq).padStart(6, '0'),
  score: 12_000,
  threshold: 10_000,
  arrivalMs,
});

function outboxWith(store: DocumentStore, up: () => boolean = () => true) {
  const messages: { subject: string; message: string }[] = [];
  const outbox = new AlertOutbox(
    store,
    {
      publish: async (subject, message) => {
        if (!up()) throw new Error('SNS unavailable');
        messages.push({ subject, message });
      },
    },
    'dev',
    { retryDelayMs: 0 },
  );
  const announced = () =>
    messages.flatMap((m) =>
      Object.entries(JSON.parse(m.message).sequence_numbers as Record<string, string[]>).flatMap(([t, seqs]) =>
        seqs.map((s) => `${s}|${t}`),
      ),
    );
  return { outbox, messages, announced };
}

/** Every read yields, so concurrent callers interleave between read and write. */
function yieldingReads(store: MemoryDocumentStore): DocumentStore {
  return {
    read: async (k) => {
      const d = await store.read(k);
      await new Promise((r) => setImmediate(r));
      return d;
    },
    write: (k, b, v) => store.write(k, b, v),
    list: (p, m) => store.list(p, m),
    remove: (k) => store.remove(k),
  };
}

describe('alert outbox', () => {
  test('an entry is announced once, however often and in whatever batches it is enqueued', async () => {
    const store = new MemoryDocumentStore();
    const { outbox, announced } = outboxWith(store);
    for (const batch of [[1, 2, 3], [2, 3, 4], [1, 4], [3]])
      for (const name of await outbox.enqueue(
        'transactions',
        batch.map((s) => entry(s)),
      ))
        await outbox.send(name);
    expect(announced().sort()).toEqual(['000001|high_amount', '000002|high_amount', '000003|high_amount', '000004|high_amount']);
    // The same record with another anomaly type is a separate entry.
    for (const name of await outbox.enqueue('transactions', [entry(1, 'velocity')])) await outbox.send(name);
    expect(announced()).toContain('000001|velocity');
  });

  test('SNS down: entries stay pending under a marker; a sweep sends them once SNS is back and clears the marker', async () => {
    const store = new MemoryDocumentStore();
    let up = false;
    const { outbox, announced } = outboxWith(store, () => up);
    const [name] = await outbox.enqueue('transactions', [entry(1), entry(2)]);
    expect(await outbox.send(name)).toEqual({ sent: 0, deferred: 2, failures: 1 });
    expect(await store.list(ALERT_PENDING_PREFIX, 10)).toHaveLength(1);
    expect((await outbox.sweep(5)).depth).toBe(1);
    up = true;
    expect(await outbox.sweep(5)).toEqual({ sent: 2, deferred: 0, failures: 0, depth: 1 });
    expect(await store.list(ALERT_PENDING_PREFIX, 10)).toEqual([]);
    expect(announced()).toHaveLength(2);
    expect((await outbox.sweep(5)).depth).toBe(0);
  });

  test('one ledger per stream, shard and arrival hour', async () => {
    const { outbox } = outboxWith(new MemoryDocumentStore());
    const names = await outbox.enqueue('transactions', [entry(1), entry(2, 'velocity', ARRIVAL + 3_600_000)]);
    expect(names).toEqual([
      'transactions/shardId-000000000000/dt=2026-11-02/hr=08.json',
      'transactions/shardId-000000000000/dt=2026-11-02/hr=09.json',
    ]);
  });

  test('each message names the key of the ledger it came from', async () => {
    const store = new MemoryDocumentStore();
    const { outbox, messages } = outboxWith(store);
    for (const name of await outbox.enqueue('transactions', [entry(1), entry(2, 'velocity', ARRIVAL + 3_600_000)])) await outbox.send(name);
    const ledgers = messages.map((m) => (JSON.parse(m.message) as { ledger: string }).ledger);
    expect(ledgers).toEqual([
      'alerts/ledger/transactions/shardId-000000000000/dt=2026-11-02/hr=08.json',
      'alerts/ledger/transactions/shardId-000000000000/dt=2026-11-02/hr=09.json',
    ]);
    for (const key of ledgers) expect(store.docs.has(key)).toBe(true);
  });

  test('concurrent invocations of one shard never lose each other’s entries (conditional writes)', async () => {
    const { outbox, announced } = outboxWith(yieldingReads(new MemoryDocumentStore()));
    const [a, b] = await Promise.all([outbox.enqueue('transactions', [entry(1), entry(2)]), outbox.enqueue('transactions', [entry(3)])]);
    expect(a).toEqual(b);
    await outbox.send(a[0]);
    expect(announced().sort()).toEqual(['000001|high_amount', '000002|high_amount', '000003|high_amount']);
  });

  test('the same race against a store without version checks loses an entry (what the conditional write prevents)', async () => {
    const store = new MemoryDocumentStore();
    const blind: DocumentStore = {
      read: async (k) => {
        const d = await store.read(k);
        await new Promise((r) => setImmediate(r));
        return d;
      },
      write: (k, b) => store.write(k, b, store.docs.get(k)?.version),
      list: (p, m) => store.list(p, m),
      remove: (k) => store.remove(k),
    };
    const { outbox, announced } = outboxWith(blind);
    const [names] = await Promise.all([outbox.enqueue('transactions', [entry(1), entry(2)]), outbox.enqueue('transactions', [entry(3)])]);
    await outbox.send(names[0]);
    expect(announced().length).toBeLessThan(3);
  });

  test('concurrent senders of one ledger (parallel batches of a shard, or sweeps) announce each entry once', async () => {
    const store = new MemoryDocumentStore();
    const racing = yieldingReads(store);
    const a = outboxWith(racing);
    const b = outboxWith(racing);
    const [name] = await a.outbox.enqueue('transactions', [entry(1), entry(2), entry(3)]);
    await Promise.all([a.outbox.send(name), b.outbox.send(name), b.outbox.sweep(5)]);
    expect([...a.announced(), ...b.announced()].sort()).toEqual(['000001|high_amount', '000002|high_amount', '000003|high_amount']);
  });

  test('a claim left by a sender that died expires: a later sweep sends the entries', async () => {
    const store = new MemoryDocumentStore();
    let clock = ARRIVAL;
    const hung = new AlertOutbox(store, { publish: () => new Promise(() => undefined) }, 'dev', { now: () => clock });
    const [name] = await hung.enqueue('transactions', [entry(1)]);
    void hung.send(name); // claims, then never returns (the invocation died)
    await new Promise((r) => setImmediate(r));
    const later = outboxWith(store);
    const laterOutbox = new AlertOutbox(
      store,
      { publish: async (subject, message) => void later.messages.push({ subject, message }) },
      'dev',
      { now: () => clock },
    );
    expect((await laterOutbox.sweep(5)).sent).toBe(0);
    clock += 600_001;
    expect((await laterOutbox.sweep(5)).sent).toBe(1);
    expect(later.announced()).toEqual(['000001|high_amount']);
  });

  test('large findings are split into messages of at most MAX_ENTRIES_PER_MESSAGE entries; subjects stay ≤ 100 ASCII characters', async () => {
    const { outbox, messages, announced } = outboxWith(new MemoryDocumentStore());
    const many = Array.from({ length: MAX_ENTRIES_PER_MESSAGE + 7 }, (_, i) => entry(i, i % 2 ? 'velocity' : 'amount_outlier'));
    const [name] = await outbox.enqueue('transactions', many);
    expect(await outbox.send(name)).toEqual({ sent: many.length, deferred: 0, failures: 0 });
    expect(messages).toHaveLength(2);
    expect(new Set(announced()).size).toBe(many.length);
    for (const m of messages) {
      expect(m.subject.length).toBeLessThanOrEqual(100);
      expect(JSON.parse(m.message).examples.length).toBeLessThanOrEqual(10);
    }
  });

  test('a ledger that keeps conflicting fails loudly instead of dropping entries', async () => {
    const store = new MemoryDocumentStore();
    const contested: DocumentStore = {
      ...store,
      read: (k) => store.read(k),
      write: async () => false,
      list: (p, m) => store.list(p, m),
      remove: (k) => store.remove(k),
    };
    const { outbox } = outboxWith(contested);
    await expect(outbox.enqueue('transactions', [entry(1)])).rejects.toThrow(/concurrent updates/);
  });
});
