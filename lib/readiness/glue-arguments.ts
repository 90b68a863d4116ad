import * as fs from 'node:fs';
import type { StackAssets } from './assembly';
import { allResources, pathOf, resolveText } from './template';
import type { ReadinessFinding, ReadinessResult } from './types';

const CHECK = 'glue-arguments';

/**
 * The job arguments a Glue script requires: the quoted names it passes to `job_context(argv, app_name, [...])`
 * (glue-scripts/dataflow_glue/job_entry.py), as a list or as the name of a module-level `NAME = [...]` list.
 * Glue supplies `JOB_NAME` itself.
 */
export function requiredArguments(script: string): string[] {
  const call = /job_context\(\s*[\w.]+\s*,\s*["'][^"']*["']\s*,\s*(?:\[([^\]]*)\]|(\w+))\s*\)/.exec(script);
  if (!call) throw new Error('no job_context(argv, app_name, [...]) call');
  const [, inline, listName] = call;
  const list = inline ?? new RegExp(`^${listName}\\s*=\\s*[[(]([^\\])]*)[\\])]`, 'm').exec(script)?.[1];
  if (list === undefined) throw new Error(`list ${listName} is not defined at module level`);
  return list.split(',').flatMap((item) => {
    const t = item.trim();
    if (!t) return [];
    const quoted = /^["']([^"']+)["']$/.exec(t);
    if (!quoted) throw new Error(`cannot read argument list item ${t}`);
    return [quoted[1]];
  });
}

/** Glue's own special parameters are kebab-case (`--job-bookmark-option`); the scripts' arguments are snake_case. */
const isGlueParameter = (key: string) => key.slice(2).includes('-');

interface State {
  Resource?: string;
  Parameters?: { JobName?: string; Arguments?: Record<string, unknown> };
  States?: Record<string, State>;
  Branches?: { States: Record<string, State> }[];
  ItemProcessor?: { States: Record<string, State> };
  Iterator?: { States: Record<string, State> };
}

function glueStarts(states: Record<string, State>): { state: string; job: string; args: string[] }[] {
  return Object.entries(states).flatMap(([name, s]) => [
    ...(s.Resource?.includes(':glue:startJobRun') && s.Parameters?.JobName
      ? [{ state: name, job: s.Parameters.JobName, args: Object.keys(s.Parameters.Arguments ?? {}).map((k) => k.replace(/\.\$$/, '')) }]
      : []),
    ...(s.Branches ?? []).flatMap((b) => glueStarts(b.States)),
    ...[s.ItemProcessor, s.Iterator].flatMap((p) => (p ? glueStarts(p.States) : [])),
  ]);
}

/**
 * Every Glue job: the arguments its script requires are passed — in the job's DefaultArguments or by every state
 * machine state that starts it — and every snake_case argument passed is one the script reads.
 */
export function checkGlueArguments(templates: ReadonlyMap<string, object>, assets: ReadonlyMap<string, StackAssets>): ReadinessResult {
  const findings: ReadinessFinding[] = [];
  let evaluated = 0;
  for (const [stack, template] of templates) {
    const starts = allResources(new Map([[stack, template]]), 'AWS::StepFunctions::StateMachine').flatMap(({ resource }) => {
      const definition = JSON.parse(resolveText(resource.Properties?.DefinitionString, template)) as { States: Record<string, State> };
      return glueStarts(definition.States);
    });
    for (const { id, resource } of allResources(new Map([[stack, template]]), 'AWS::Glue::Job')) {
      const at = pathOf(id, resource);
      const finding = (message: string) => findings.push({ check: CHECK, stack, resource: at, message });
      const jobName = resolveText(resource.Properties?.Name, template);
      const location = resolveText((resource.Properties?.Command as { ScriptLocation?: unknown } | undefined)?.ScriptLocation, template);
      const hash = /([0-9a-f]{64})\.py$/.exec(location)?.[1];
      const file = hash ? assets.get(stack)?.files[hash] : undefined;
      if (!file || !fs.existsSync(file)) {
        finding(`script ${location} is not a file asset of the stack`);
        continue;
      }
      let required: string[];
      try {
        required = requiredArguments(fs.readFileSync(file, 'utf8'));
      } catch (err) {
        finding(`cannot read the script's arguments: ${(err as Error).message}`);
        continue;
      }
      const defaults = Object.keys((resource.Properties?.DefaultArguments as Record<string, unknown> | undefined) ?? {});
      const callers = starts.filter((s) => s.job === jobName);
      const runs =
        callers.length > 0
          ? callers.map((c) => ({ by: `state '${c.state}'`, args: [...defaults, ...c.args] }))
          : [{ by: 'a run with defaults only', args: defaults }];
      for (const run of runs) {
        for (const name of required) {
          evaluated++;
          if (!run.args.includes(`--${name}`))
            finding(`--${name} is required by the script but not passed by ${run.by} nor in DefaultArguments`);
        }
        for (const key of run.args.filter((k) => !isGlueParameter(k))) {
          evaluated++;
          if (!required.includes(key.slice(2)))
            finding(`${key} is passed by ${run.by} (or DefaultArguments) but the script does not read it`);
        }
      }
    }
  }
  return { check: CHECK, evaluated, findings, acknowledged: [] };
}
