/**
 * Prints the CloudFormation outputs of an environment's stacks (the names and addresses runbooks refer to).
 *
 *   make outputs ENV=prod                        # every output of every stack: stack, key, value
 *   make -s outputs ENV=prod OUTPUT=LeaseTable   # one value, for use in a command: "$(make -s outputs ...)"
 *
 * Needs AWS credentials for the environment's account at run time (aws cloudformation describe-stacks); the
 * arguments are checked first, offline, and an error names the Makefile variable and the flag.
 */
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { ConfigError, loadEnvironmentConfig } from '../lib/config';

/** Components of an environment, in deployment order; stack names are `<prefix>-<env>-<component>`. */
export const STACK_COMPONENTS = ['operations', 'storage', 'warehouse', 'streaming', 'batch', 'dashboard'] as const;

export interface OutputsRequest {
  readonly stacks: readonly string[];
  readonly region: string;
  readonly output?: string;
}

/** Validates the arguments (no AWS access): the error names the Makefile variable and the flag. */
export function outputsRequest(argv: readonly string[]): OutputsRequest {
  const { values } = parseArgs({
    args: [...argv],
    options: { env: { type: 'string' }, output: { type: 'string' }, region: { type: 'string' } },
    strict: true,
  });
  if (!values.env) throw new ConfigError('ENV (--env) is required: dev, staging or prod');
  let config;
  try {
    config = loadEnvironmentConfig(values.env, { region: values.region });
  } catch (err) {
    throw new ConfigError(`ENV (--env) / REGION (--region): ${(err as Error).message}`);
  }
  if (values.output !== undefined && !/^[A-Za-z0-9]+$/.test(values.output))
    throw new ConfigError(`OUTPUT (--output) must be an output name such as LeaseTable (got "${values.output}")`);
  return { stacks: STACK_COMPONENTS.map((c) => `${config.prefix}-${config.name}-${c}`), region: config.region, output: values.output };
}

/** The AWS CLI call for one stack. */
export function describeArgs(stack: string, region: string): string[] {
  return [
    'cloudformation',
    'describe-stacks',
    '--stack-name',
    stack,
    '--region',
    region,
    '--query',
    'Stacks[0].Outputs',
    '--output',
    'json',
  ];
}

function main(): number {
  let req: OutputsRequest;
  try {
    req = outputsRequest(process.argv.slice(2));
  } catch (err) {
    console.error(`make outputs: ${(err as Error).message}`);
    return 2;
  }
  const rows: { stack: string; key: string; value: string }[] = [];
  for (const stack of req.stacks) {
    const out = execFileSync('aws', describeArgs(stack, req.region), { encoding: 'utf8' });
    for (const o of (JSON.parse(out) ?? []) as { OutputKey: string; OutputValue: string }[])
      rows.push({ stack, key: o.OutputKey, value: o.OutputValue });
  }
  if (req.output) {
    const hit = rows.find((r) => r.key === req.output);
    if (!hit) {
      console.error(
        `make outputs: OUTPUT (--output) "${req.output}" is not an output of ${req.stacks.join(', ')}; known: ${rows.map((r) => r.key).join(', ')}`,
      );
      return 2;
    }
    console.log(hit.value);
    return 0;
  }
  for (const r of rows) console.log(`${r.stack}\t${r.key}\t${r.value}`);
  return 0;
}

if (require.main === module) process.exit(main());
