/**
 * The batch's concurrency guard (at most one run per window and one warehouse writer): named leases with an owner
 * and an expiry. An execution holds `window#<id>` for its whole run (no two executions process one window at
 * once) and `warehouse` around load + transform (no two executions write bronze/gold at once, whatever their
 * windows). Acquire is a conditional write: it succeeds when the lease is free, expired, or already held by the
 * same owner (a retried acquire is idempotent). Release deletes only the caller's own lease. Expiry bounds the
 * damage of an execution that dies without releasing (timeout, abort): set it to the state machine's timeout.
 */
import { ConditionalCheckFailedException, DeleteItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LEASE_HELD_ERROR } from '../contracts/workflow';

export interface LeaseStore {
  /** Takes the lease or throws LeaseHeld. */
  acquire(name: string, owner: string, ttlSeconds: number, nowMs?: number): Promise<void>;
  /** Releases the caller's lease; false if it did not hold it (expired and taken over, or never acquired). */
  release(name: string, owner: string): Promise<boolean>;
}

/** Another execution holds the lease: the state machine retries on this error's name, then notifies. */
export class LeaseHeld extends Error {
  constructor(name: string, detail = '') {
    super(`lease ${name} is held by another execution${detail}`);
    this.name = LEASE_HELD_ERROR;
  }
}

const LEASE_NAME = /^[a-z][a-z0-9#:_-]{0,127}$/;
function checkName(name: string): string {
  if (!LEASE_NAME.test(name)) throw new Error(`lease name "${name}" must match ${LEASE_NAME}`);
  return name;
}

/** DynamoDB: one item per lease (hash key `lease_name`), `expires_at` doubling as the table's TTL attribute. */
export class DynamoLeaseStore implements LeaseStore {
  constructor(
    private readonly ddb: DynamoDBClient,
    private readonly table: string,
  ) {}

  async acquire(name: string, owner: string, ttlSeconds: number, nowMs = Date.now()): Promise<void> {
    const now = Math.floor(nowMs / 1000);
    try {
      await this.ddb.send(
        new PutItemCommand({
          TableName: this.table,
          Item: {
            lease_name: { S: checkName(name) },
            owner: { S: owner },
            acquired_at: { N: String(now) },
            expires_at: { N: String(now + ttlSeconds) },
          },
          // DynamoDB's TTL deletes lazily, so an expired lease is free even while the item still exists.
          ConditionExpression: 'attribute_not_exists(lease_name) OR expires_at < :now OR #owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':now': { N: String(now) }, ':owner': { S: owner } },
        }),
      );
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException || (err as { name?: string }).name === 'ConditionalCheckFailedException') {
        throw new LeaseHeld(name);
      }
      throw err;
    }
  }

  async release(name: string, owner: string): Promise<boolean> {
    try {
      await this.ddb.send(
        new DeleteItemCommand({
          TableName: this.table,
          Key: { lease_name: { S: checkName(name) } },
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': { S: owner } },
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException || (err as { name?: string }).name === 'ConditionalCheckFailedException')
        return false;
      throw err;
    }
  }
}

/** The same semantics in memory (local run, tests): shared by every execution in one process. */
export class MemoryLeaseStore implements LeaseStore {
  private readonly leases = new Map<string, { owner: string; expiresAt: number }>();

  async acquire(name: string, owner: string, ttlSeconds: number, nowMs = Date.now()): Promise<void> {
    const now = Math.floor(nowMs / 1000);
    const held = this.leases.get(checkName(name));
    if (held && held.expiresAt >= now && held.owner !== owner) throw new LeaseHeld(name, ` (${held.owner})`);
    this.leases.set(name, { owner, expiresAt: now + ttlSeconds });
  }

  async release(name: string, owner: string): Promise<boolean> {
    const held = this.leases.get(checkName(name));
    if (!held || held.owner !== owner) return false;
    this.leases.delete(name);
    return true;
  }

  /** Current holder (tests, demo). */
  holder(name: string): string | undefined {
    return this.leases.get(name)?.owner;
  }
}
