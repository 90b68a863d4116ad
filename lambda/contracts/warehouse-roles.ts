import * as z from 'zod/mini';
import { WAREHOUSE_TABLE_SPECS } from './table-specs';
import { bronzeTableDdl, schemaDdl } from './bronze-ddl';
import { identifier } from './sql-types';

/**
 * What the deploy-time setup creates, idempotently: the schemas, the bronze tables (from the table specs), and
 * three database roles:
 * - `analysts`: read-only on gold;
 * - `dataflow_loader`: the hourly COPY/merge (create stage tables, read/insert/delete bronze);
 * - `dataflow_transformer`: dbt (read bronze, create and replace silver and gold).
 * IAM identities get a database role through the principal tag `RedshiftDbRoles` (e.g. the loader function's role
 * tagged `RedshiftDbRoles=dataflow_loader`) when they connect with IAM credentials (Data API without a secret,
 * dbt `method: iam`). CREATE ROLE has no IF NOT EXISTS, so roles are created only when `rolesQuery` misses them;
 * every other statement can run any number of times.
 */

export const ANALYSTS_ROLE = 'analysts';
export const LOADER_ROLE = 'dataflow_loader';
export const TRANSFORMER_ROLE = 'dataflow_transformer';
export const DATABASE_ROLES = [ANALYSTS_ROLE, LOADER_ROLE, TRANSFORMER_ROLE] as const;

export function objectStatements(): string[] {
  return [...schemaDdl(), ...Object.values(WAREHOUSE_TABLE_SPECS).map((spec) => bronzeTableDdl(spec, 'redshift'))];
}

/** Lists which of the platform's roles exist (one row per existing role name). */
export function rolesQuery(): string {
  return `SELECT role_name FROM svv_roles WHERE role_name IN (${DATABASE_ROLES.map((r) => `'${identifier(r)}'`).join(', ')})`;
}

export function createRoleStatements(existing: readonly string[]): string[] {
  return DATABASE_ROLES.filter((r) => !existing.includes(r)).map((r) => `CREATE ROLE ${identifier(r)}`);
}

/** Least privilege per role; all idempotent. */
export function grantStatements(): string[] {
  const a = identifier(ANALYSTS_ROLE);
  const l = identifier(LOADER_ROLE);
  const t = identifier(TRANSFORMER_ROLE);
  return [
    `GRANT USAGE ON SCHEMA gold TO ROLE ${a}`,
    `GRANT SELECT ON ALL TABLES IN SCHEMA gold TO ROLE ${a}`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA gold GRANT SELECT ON TABLES TO ROLE ${a}`,
    `GRANT USAGE, CREATE ON SCHEMA stage TO ROLE ${l}`,
    `GRANT USAGE, CREATE ON SCHEMA bronze TO ROLE ${l}`,
    `GRANT SELECT, INSERT, DELETE ON ALL TABLES IN SCHEMA bronze TO ROLE ${l}`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA bronze GRANT SELECT, INSERT, DELETE ON TABLES TO ROLE ${l}`,
    `GRANT USAGE ON SCHEMA bronze TO ROLE ${t}`,
    `GRANT SELECT ON ALL TABLES IN SCHEMA bronze TO ROLE ${t}`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA bronze GRANT SELECT ON TABLES TO ROLE ${t}`,
    `GRANT USAGE, CREATE ON SCHEMA silver TO ROLE ${t}`,
    `GRANT USAGE, CREATE ON SCHEMA gold TO ROLE ${t}`,
  ];
}

/**
 * The setup custom resource's properties, as the handler parses them: the construct types what it passes with the
 * input type, so a property the handler does not read, or one it lacks, does not compile. (`SqlHash` only makes
 * CloudFormation re-run the setup when the generated SQL changes.)
 */
export const setupPropertiesSchema = z.object({
  NamespaceName: z.string().check(z.minLength(1)),
  WorkgroupName: z.string().check(z.minLength(1)),
  Database: z.string().check(z.regex(/^[a-z][a-z0-9_]{0,62}$/)),
});
export type SetupProperties = z.input<typeof setupPropertiesSchema> & { readonly SqlHash: string };
