/**
 * Checks a runbook's text against the synthesized app, so that what on-call copies from a page works:
 * `cdk deploy` / `cdk diff` selectors match real stack paths, alarm names are the real ones, outputs exist,
 * and no `<placeholder>` stands for a generated resource name (those come from `make outputs`).
 */

/** What the synthesized app offers, per environment. */
export interface AppFacts {
  readonly envs: readonly {
    readonly name: string;
    readonly prefix: string;
    readonly stackPaths: readonly string[];
    readonly alarmNames: readonly string[];
    readonly outputs: readonly string[];
  }[];
  /** Values `<stream>` stands for. */
  readonly streams: readonly string[];
}

/** Placeholders that name something the stacks generate: read them from `make outputs` instead. */
const GENERATED =
  /<[^<>\n]*\b(lease table|queue url|queue|log group|bucket|workgroup|topic|function|state machine|key id|key arn|secret|table name|arn)\b[^<>\n]*>|<(raw|staging|quarantine)>/gi;
const ALLOWED = new Set(['<execution-arn>']);
const COMPONENTS = 'operations|storage|streaming|warehouse|batch|dashboard';

function globToRegExp(glob: string): RegExp {
  return new RegExp(
    `^${glob
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '[^/]*')
      .replace(/\?/g, '[^/]')}$`,
  );
}

function expand(text: string, env: AppFacts['envs'][number], streams: readonly string[]): string[] {
  const base = text.replace(/<prefix>/g, env.prefix).replace(/<env>/g, env.name);
  return base.includes('<stream>') ? streams.map((s) => base.replace(/<stream>/g, s)) : [base];
}

/** Problems in one runbook, each naming the offending text. */
export function checkRunbook(file: string, text: string, facts: AppFacts): string[] {
  const problems: string[] = [];
  for (const line of text.split('\n')) {
    for (const cmd of line.matchAll(/cdk (deploy|diff)\b([^`\n]*)/g)) {
      const selectors = [...cmd[2].matchAll(/'([^']+)'|"([^"]+)"/g)].map((m) => m[1] ?? m[2]);
      if (selectors.length === 0 && !/--all\b/.test(cmd[2])) problems.push(`${file}: \`cdk ${cmd[1]}\` names no stack: ${cmd[0].trim()}`);
      for (const sel of selectors) {
        const ok = facts.envs.every((env) =>
          expand(sel, env, facts.streams).some((s) => env.stackPaths.some((p) => globToRegExp(s).test(p))),
        );
        if (!ok) problems.push(`${file}: \`cdk ${cmd[1]}\` selector '${sel}' matches no stack path (e.g. ${facts.envs[0].stackPaths[0]})`);
      }
    }
  }
  for (const m of text.matchAll(/`([^`\n]+)`/g)) {
    const token = m[1].trim();
    if (!new RegExp(`^<prefix>-<env>-(${COMPONENTS})-[^\\s]+$`).test(token)) continue;
    const ok = facts.envs.some((env) => expand(token, env, facts.streams).some((n) => env.alarmNames.includes(n)));
    if (!ok) problems.push(`${file}: \`${token}\` is not the name of an alarm`);
  }
  const outputs = new Set(facts.envs.flatMap((e) => e.outputs));
  for (const m of text.matchAll(/OUTPUT=([A-Za-z0-9]+)|outputs? `([A-Za-z0-9]+)`|<([A-Za-z0-9]+) output>/g)) {
    const name = m[1] ?? m[2] ?? m[3];
    if (!outputs.has(name)) problems.push(`${file}: output ${name} does not exist`);
  }
  for (const m of text.matchAll(GENERATED)) {
    if (!ALLOWED.has(m[0]))
      problems.push(`${file}: placeholder ${m[0]} names a generated resource; refer to its output (make outputs ENV=<env>)`);
  }
  return problems;
}

/** Every alarm must be named (in `<prefix>-<env>-…` form) by the runbook it links. */
export function alarmNamedInRunbook(
  alarmName: string,
  env: AppFacts['envs'][number],
  streams: readonly string[],
  runbookText: string,
): boolean {
  const generic = alarmName.replace(`${env.prefix}-${env.name}-`, '<prefix>-<env>-');
  const forms = [generic, ...streams.filter((s) => generic.endsWith(`-${s}`)).map((s) => `${generic.slice(0, -s.length)}<stream>`)];
  return forms.some((f) => runbookText.includes(`\`${f}\``));
}
