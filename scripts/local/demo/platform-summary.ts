import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Stack } from 'aws-cdk-lib';
import { buildApp } from '../../../lib/app';
import { readAssemblyDir, runReadinessChecks } from '../../../lib/readiness';

/**
 * What `make demo` prints about the infrastructure: per environment, its stacks, resource counts by type, the lake
 * buckets and their zones, and the alarms with their runbooks — read from the synthesized cloud assembly in
 * cdk.out — plus the compliance checks (cdk-nag AwsSolutions, cfn-lint, the deploy-readiness checks of lib/readiness).
 */

interface Manifest {
  artifacts: Record<string, { type: string; properties?: Record<string, string>; displayName?: string }>;
}
interface TemplateResource {
  Type: string;
  /** The raw CloudFormation properties; only the ones read here are typed. */
  Properties?: {
    readonly TopicName?: unknown;
    readonly Tags?: readonly { Key: string; Value: string }[];
    readonly AlarmActions?: unknown;
    readonly AlarmDescription?: string;
  };
}

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CDK_OUT = path.join(ROOT, 'cdk.out');

export interface StackSummary {
  readonly stackName: string;
  readonly resources: number;
  readonly byType: Record<string, number>;
  readonly buckets: { logicalId: string; zone: string }[];
  readonly alarms: { logicalId: string; severity: string; runbook: string }[];
}

function readJson<T>(file: string): T {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
}

/** Reads every stage's stacks from cdk.out. */
export function summariseAssembly(cdkOut = CDK_OUT): Record<string, StackSummary[]> {
  const root = readJson<Manifest>(path.join(cdkOut, 'manifest.json'));
  const result: Record<string, StackSummary[]> = {};
  for (const [id, artifact] of Object.entries(root.artifacts)) {
    if (artifact.type !== 'cdk:cloud-assembly') continue;
    const dir = path.join(cdkOut, artifact.properties!.directoryName);
    const nested = readJson<Manifest>(path.join(dir, 'manifest.json'));
    const env = id.replace(/^assembly-/, '').replace(/^DataPlatform-/, '');
    result[env] = Object.values(nested.artifacts)
      .filter((a) => a.type === 'aws:cloudformation:stack')
      .map((a) => summariseTemplate(a.properties!.stackName, readJson(path.join(dir, a.properties!.templateFile))));
  }
  return result;
}

function summariseTemplate(stackName: string, template: { Resources: Record<string, TemplateResource> }): StackSummary {
  const entries = Object.entries(template.Resources).filter(([, r]) => r.Type !== 'AWS::CDK::Metadata');
  const byType: Record<string, number> = {};
  for (const [, r] of entries) byType[r.Type] = (byType[r.Type] ?? 0) + 1;
  const topics = Object.fromEntries(
    entries
      .filter(([, r]) => r.Type === 'AWS::SNS::Topic')
      .map(([id, r]) => [id, typeof r.Properties?.TopicName === 'string' ? r.Properties.TopicName : id]),
  );
  return {
    stackName,
    resources: entries.length,
    byType,
    buckets: entries
      .filter(([, r]) => r.Type === 'AWS::S3::Bucket')
      .map(([id, r]) => ({
        logicalId: id,
        zone: r.Properties?.Tags?.find((t) => t.Key === 'dataflow:zone')?.Value ?? 'access-logs',
      })),
    alarms: entries
      .filter(([, r]) => r.Type === 'AWS::CloudWatch::Alarm')
      .map(([id, r]) => {
        const action = JSON.stringify(r.Properties?.AlarmActions ?? []);
        const local = Object.entries(topics).find(([topicId]) => action.includes(`"${topicId}"`))?.[1] ?? action;
        return {
          logicalId: id,
          severity: /critical|Critical/.test(local) ? 'critical' : /warning|Warning/.test(local) ? 'warning' : 'unknown',
          runbook: /docs\/runbooks\/([a-z0-9-]+)\.md/.exec(r.Properties?.AlarmDescription ?? '')?.[1] ?? 'MISSING',
        };
      }),
  };
}

/** cdk-nag AwsSolutions over every stack of every environment; returns the unacknowledged findings. */
export function runNag(): { stacks: number; findings: string[] } {
  const { app, stages } = buildApp({
    context: { ...readJson<{ context: object }>(path.join(ROOT, 'cdk.json')).context, env: 'all', 'aws:cdk:bundling-stacks': [] },
  });
  const stacks = stages.flatMap((s) => s.node.children.filter((c): c is Stack => (c as Stack).templateOptions !== undefined));
  const findings = stacks.flatMap((stack) =>
    new AwsSolutionsChecks(app)
      .validateScope(stack)
      .violations.flatMap((v) =>
        v.violatingResources.map((r) => `${v.ruleName} ${stack.stackName}/${r.resourceLogicalId ?? r.constructPath}`),
      ),
  );
  return { stacks: stacks.length, findings };
}

/** cfn-lint over every synthesized template: errors fail, warnings are counted and shown. */
export function runCfnLint(cdkOut = CDK_OUT): { templates: number; ok: boolean; warnings: number; output: string } {
  const templates = fs
    .readdirSync(cdkOut)
    .filter((d) => d.startsWith('assembly-'))
    .flatMap((d) =>
      fs
        .readdirSync(path.join(cdkOut, d))
        .filter((f) => f.endsWith('.template.json'))
        .map((f) => path.join(cdkOut, d, f)),
    );
  try {
    const output = execFileSync(
      path.join(ROOT, '.venv', 'bin', 'cfn-lint'),
      ['--format', 'parseable', '--non-zero-exit-code', 'error', '--', ...templates],
      { encoding: 'utf8' },
    );
    return { templates: templates.length, ok: true, warnings: countWarnings(output), output };
  } catch (err) {
    const output = String((err as { stdout?: string }).stdout ?? err);
    return { templates: templates.length, ok: false, warnings: countWarnings(output), output };
  }
}

const countWarnings = (output: string) => output.split('\n').filter((l) => /:W\d{4}:/.test(l)).length;

function countByRule(lines: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const l of lines) {
    const rule = /:([EWI]\d{4}):/.exec(l)?.[1];
    if (rule) counts[rule] = (counts[rule] ?? 0) + 1;
  }
  return counts;
}

/** Warnings whose cause is known and accepted. */
const RULE_NOTES: Record<string, string> = {
  W3005: 'a DependsOn that aws-cdk-lib adds between a function and its role next to the GetAtt; harmless',
};

const pad = (s: string | number, n: number) => String(s).padEnd(n);

/** What the compliance checks found, as the demo summary shows it. */
export interface ComplianceFigures {
  readonly environments: number;
  readonly stacks: number;
  readonly resources: number;
  readonly alarms: number;
  readonly nagFindings: number;
  readonly cfnLintTemplates: number;
  readonly cfnLintErrors: boolean;
  readonly cfnLintWarnings: number;
  /** Per deploy-readiness check: what it evaluated, found and accepted. */
  readonly readiness: readonly {
    readonly check: string;
    readonly evaluated: number;
    readonly findings: number;
    readonly acknowledged: number;
  }[];
  readonly compliant: boolean;
}

export function printPlatformSummary(): ComplianceFigures {
  const summary = summariseAssembly();
  console.log('\n=== Infrastructure (synthesized from cdk.out) ===');
  for (const [env, stacks] of Object.entries(summary)) {
    const total = stacks.reduce((n, s) => n + s.resources, 0);
    console.log(`\n▸ ${env}: ${stacks.length} stacks, ${total} resources`);
    for (const s of stacks) console.log(`    ${pad(s.stackName, 34)} ${String(s.resources).padStart(4)} resources`);
    const byType: Record<string, number> = {};
    for (const s of stacks) for (const [t, n] of Object.entries(s.byType)) byType[t] = (byType[t] ?? 0) + n;
    console.log('  resources by type:');
    for (const [t, n] of Object.entries(byType).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])))
      console.log(`    ${String(n).padStart(4)}  ${t}`);
    console.log('  lake buckets:');
    for (const s of stacks) for (const b of s.buckets) console.log(`    ${pad(b.zone, 12)} ${s.stackName}/${b.logicalId}`);
    const alarms = stacks.flatMap((s) => s.alarms.map((a) => ({ ...a, stack: s.stackName })));
    console.log(`  alarms (${alarms.length}):`);
    for (const a of alarms)
      console.log(`    ${pad(a.severity, 9)} ${pad(`${a.stack}/${a.logicalId}`, 70)} runbook: docs/runbooks/${a.runbook}.md`);
  }

  console.log('\n=== Compliance ===');
  const nag = runNag();
  console.log(`cdk-nag AwsSolutions: ${nag.stacks} stacks, ${nag.findings.length} unacknowledged findings`);
  for (const f of nag.findings) console.log(`  ✗ ${f}`);
  const lint = runCfnLint();
  console.log(`cfn-lint: ${lint.templates} templates, ${lint.ok ? '0 errors' : 'ERRORS'}, ${lint.warnings} warnings`);
  const lines = lint.output.trim() ? lint.output.trim().split('\n') : [];
  if (!lint.ok) console.log(lines.map((l) => `  ${path.relative(ROOT, l)}`).join('\n'));
  else
    for (const [rule, n] of Object.entries(countByRule(lines)))
      console.log(`  ${rule} × ${n}${RULE_NOTES[rule] ? ` (${RULE_NOTES[rule]})` : ''}`);
  const readiness = runReadiness();
  const stacks = Object.values(summary).flat();
  return {
    environments: Object.keys(summary).length,
    stacks: stacks.length,
    resources: stacks.reduce((n, st) => n + st.resources, 0),
    alarms: stacks.reduce((n, st) => n + st.alarms.length, 0),
    nagFindings: nag.findings.length,
    cfnLintTemplates: lint.templates,
    cfnLintErrors: !lint.ok,
    cfnLintWarnings: lint.warnings,
    readiness,
    compliant: nag.findings.length === 0 && lint.ok && readiness.every((r) => r.findings === 0),
  };
}

/** The deploy-readiness checks (lib/readiness) over cdk.out: per check, what it evaluated, found and accepted. */
function runReadiness(cdkOut = CDK_OUT): ComplianceFigures['readiness'] {
  const { templates, assets } = readAssemblyDir(cdkOut);
  const results = runReadinessChecks(templates, assets);
  const failures = results.reduce((n, r) => n + r.findings.length, 0);
  console.log(`deploy readiness: ${results.length} checks over ${templates.size} templates, ${failures} failures`);
  for (const r of results) {
    console.log(
      `  ${pad(r.check, 16)} ${String(r.evaluated).padStart(5)} evaluated  ${String(r.findings.length).padStart(3)} failures  ${String(r.acknowledged.length).padStart(4)} acknowledged`,
    );
    for (const f of r.findings) console.log(`    ✗ ${f.stack} ${f.resource}: ${f.message}`);
  }
  return results.map((r) => ({ check: r.check, evaluated: r.evaluated, findings: r.findings.length, acknowledged: r.acknowledged.length }));
}
