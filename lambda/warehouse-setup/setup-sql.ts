import { WAREHOUSE_TABLE_SPECS } from '../contracts/table-specs';
import { bronzeTableDdl, schemaDdl } from '../warehouse/bronze-ddl';
import { identifier } from '../warehouse/sql-types';

/**
 * What the deploy-time setup creates, idempotently: the schemas, the bronze tables (from the table specs), and a
 * read-only analysts role on gold. Every statement can run any number of times; CREATE ROLE has no IF NOT EXISTS,
 * so the role is created only when `roleExistsQuery` finds none.
 */

/** Name of the read-only database role for analysts. */
export const ANALYSTS_ROLE = 'analysts';

export function objectStatements(): string[] {
  return [...schemaDdl(), ...Object.values(WAREHOUSE_TABLE_SPECS).map((spec) => bronzeTableDdl(spec, 'redshift'))];
}

export function roleExistsQuery(role: string = ANALYSTS_ROLE): string {
  return `SELECT COUNT(*) FROM svv_roles WHERE role_name = '${identifier(role)}'`;
}

export function createRoleStatement(role: string = ANALYSTS_ROLE): string {
  return `CREATE ROLE ${identifier(role)}`;
}

/** Read-only on gold: usage + select on existing tables, and select on tables the admin creates later. */
export function grantStatements(role: string = ANALYSTS_ROLE): string[] {
  const r = identifier(role);
  return [
    `GRANT USAGE ON SCHEMA gold TO ROLE ${r}`,
    `GRANT SELECT ON ALL TABLES IN SCHEMA gold TO ROLE ${r}`,
    `ALTER DEFAULT PRIVILEGES IN SCHEMA gold GRANT SELECT ON TABLES TO ROLE ${r}`,
  ];
}
