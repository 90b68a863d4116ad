/**
 * Batch windows: every execution owns one fixed window [start, end) derived from its scheduled time, so a rerun
 * of the same window reads, writes and loads exactly the same things.
 */
import { z } from 'zod';

export interface BatchWindow {
  /** Inclusive start, ISO-8601 UTC (`…T09:00:00.000Z`). */
  readonly start: string;
  /** Exclusive end, ISO-8601 UTC. */
  readonly end: string;
}

const HOUR_MS = 3_600_000;

const isoUtc = z.iso.datetime({ offset: false, message: 'must be an ISO-8601 UTC timestamp ending in Z' });

export const windowSchema = z
  .strictObject({ start: isoUtc, end: isoUtc })
  .refine((w) => Date.parse(w.start) % HOUR_MS === 0 && Date.parse(w.end) % HOUR_MS === 0, 'window bounds must be whole UTC hours')
  .refine((w) => Date.parse(w.end) > Date.parse(w.start), { message: 'window end must be after its start', path: ['end'] })
  // Keys, leases and the conform job all use the start hour: a longer window would be read as its first hour only.
  .refine((w) => Date.parse(w.end) - Date.parse(w.start) === HOUR_MS, {
    message: 'must be exactly one hour after window.start (one window per hour)',
    path: ['end'],
  });

/** The window an execution scheduled at `scheduledTime` owns: the last full UTC hour before it. */
export function windowForScheduledTime(scheduledTime: string): BatchWindow {
  const t = Date.parse(scheduledTime);
  if (Number.isNaN(t)) throw new Error(`scheduled time "${scheduledTime}" is not an ISO-8601 timestamp`);
  const end = Math.floor(t / HOUR_MS) * HOUR_MS;
  return { start: new Date(end - HOUR_MS).toISOString(), end: new Date(end).toISOString() };
}

/** Every hourly window in [from, to) (both rounded down to the hour). */
export function hourlyWindows(from: string, to: string): BatchWindow[] {
  const a = Math.floor(Date.parse(from) / HOUR_MS) * HOUR_MS;
  const b = Math.floor(Date.parse(to) / HOUR_MS) * HOUR_MS;
  if (Number.isNaN(a) || Number.isNaN(b)) throw new Error(`--from/--to must be ISO-8601 timestamps (got ${from}, ${to})`);
  if (b <= a) throw new Error(`--to (${to}) must be at least one hour after --from (${from})`);
  const out: BatchWindow[] = [];
  for (let s = a; s < b; s += HOUR_MS) out.push({ start: new Date(s).toISOString(), end: new Date(s + HOUR_MS).toISOString() });
  return out;
}

/** Stable, name-safe id of a window (`20260601T0900`), used in lease names and execution names. */
export function windowId(window: BatchWindow): string {
  return window.start.slice(0, 13).replace(/[-:]/g, '') + '00';
}
