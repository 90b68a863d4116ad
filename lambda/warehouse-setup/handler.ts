import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { GetNamespaceCommand, RedshiftServerlessClient } from '@aws-sdk/client-redshift-serverless';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { parseWith } from '../contracts/config-parse';
import { SERVICES } from '../contracts/metrics';
import { RedshiftDataRunner, type WarehouseTarget } from '../contracts/redshift-data';
import { runStatements, type PollOptions } from '../contracts/warehouse-statements';
import { lambdaHandler, powertools } from '../shared/powertools';
import {
  ANALYSTS_ROLE,
  createRoleStatements,
  grantStatements,
  objectStatements,
  rolesQuery,
  setupPropertiesSchema,
} from '../contracts/warehouse-roles';

/**
 * Custom resource (CDK Provider framework `onEvent`): on Create and Update, creates the warehouse schemas, the
 * bronze tables and the database roles (analysts read-only on gold, loader, transformer) — idempotently, through
 * the warehouse statement runner (FAILED/ABORTED/timeout fail the deployment). Delete keeps everything: the
 * warehouse's data is never dropped by a stack operation.
 */

export interface SetupResult {
  readonly PhysicalResourceId: string;
  /** `AdminSecretArn` is readable as a CloudFormation attribute (CloudFormation has no GetAtt for it on the namespace). */
  readonly Data: { readonly Role: string; readonly Statements: number; readonly AdminSecretArn: string };
}

/** The ARN of the admin secret Redshift manages for the namespace (`manageAdminPassword`). */
export async function adminSecretArn(client: RedshiftServerlessClient, namespaceName: string): Promise<string> {
  const out = await client.send(new GetNamespaceCommand({ namespaceName }));
  const arn = out.namespace?.adminPasswordSecretArn;
  if (!arn) throw new Error(`namespace ${namespaceName} has no Redshift-managed admin secret (manageAdminPassword must be true)`);
  return arn;
}

export async function setUp(client: RedshiftDataClient, target: WarehouseTarget, poll: PollOptions = {}): Promise<number> {
  const runner = new RedshiftDataRunner(client, target);
  const objects = objectStatements();
  await runStatements(runner, objects, 'dataflow-setup-objects', poll);
  const existing = (await runner.query(rolesQuery(), 'dataflow-setup-roles-query', poll)).map(([name]) => String(name));
  const roleStatements = [...createRoleStatements(existing), ...grantStatements()];
  await runStatements(runner, roleStatements, 'dataflow-setup-role', poll);
  return objects.length + roleStatements.length;
}

export interface SetupDeps {
  readonly data: RedshiftDataClient;
  readonly serverless: RedshiftServerlessClient;
  readonly poll?: PollOptions;
  readonly log: (message: string, fields: Record<string, unknown>) => void;
}

export function createHandler(deps: SetupDeps): (event: CloudFormationCustomResourceEvent) => Promise<SetupResult> {
  return async (event) => {
    const props = parseWith('ResourceProperties', setupPropertiesSchema, event.ResourceProperties);
    const physicalId = `${props.WorkgroupName}/${props.Database}/setup`;
    if (event.RequestType === 'Delete') {
      return { PhysicalResourceId: event.PhysicalResourceId, Data: { Role: ANALYSTS_ROLE, Statements: 0, AdminSecretArn: '' } };
    }
    const secretArn = await adminSecretArn(deps.serverless, props.NamespaceName);
    const target = { workgroupName: props.WorkgroupName, database: props.Database, secretArn };
    const statements = await setUp(deps.data, target, deps.poll);
    deps.log('warehouse setup finished', { requestType: event.RequestType, physicalId, statements });
    return { PhysicalResourceId: physicalId, Data: { Role: ANALYSTS_ROLE, Statements: statements, AdminSecretArn: secretArn } };
  };
}

const pt = powertools(SERVICES.warehouseSetup);

function awsDeps(): SetupDeps {
  return {
    data: pt.tracer.captureAWSv3Client(new RedshiftDataClient({})),
    serverless: pt.tracer.captureAWSv3Client(new RedshiftServerlessClient({})),
    // 120 polls × 2 s stays well inside the function's 5-minute timeout.
    poll: { maxPolls: 120, intervalMs: 2000 },
    log: (message, fields) => pt.logger.info(message, fields),
  };
}

export const handler = lambdaHandler(pt, awsDeps, createHandler, (event) => ({
  requestType: (event as Partial<CloudFormationCustomResourceEvent>).RequestType,
}));
