/**
 * The hourly batch's state machine definition exactly as CDK synthesizes it for an environment, rendered to plain
 * ASL for local execution: CloudFormation references inside the definition (function ARNs, job names, the topic,
 * region) become stable placeholder strings; everything else is the synthesized text.
 */
import { synthApp } from '../../synth';

const PLACEHOLDER: Record<string, string> = {
  'AWS::Region': 'eu-west-1',
  'AWS::Partition': 'aws',
  'AWS::AccountId': '000000000000',
  'AWS::URLSuffix': 'amazonaws.com',
};

function render(part: unknown): string {
  if (typeof part === 'string') return part;
  const p = part as Record<string, unknown>;
  if (typeof p.Ref === 'string') return PLACEHOLDER[p.Ref] ?? `local-${p.Ref}`;
  if (Array.isArray(p['Fn::GetAtt'])) {
    const [id] = p['Fn::GetAtt'] as string[];
    return `arn:aws:lambda:eu-west-1:000000000000:function:${id}`;
  }
  if (Array.isArray(p['Fn::Join'])) {
    const [sep, parts] = p['Fn::Join'] as [string, unknown[]];
    return parts.map(render).join(sep);
  }
  return 'local-reference';
}

/** The synthesized ASL of `DataPlatform-<env>/Batch-<env>` as a JSON object. */
export function synthesizedBatchAsl(env = 'dev'): Record<string, unknown> {
  const { stages } = synthApp({ context: { env } });
  const stage = stages[0];
  const stack = stage.synth().getStackByName(stage.batch.stackName);
  const template = stack.template as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
  const machines = Object.values(template.Resources).filter((r) => r.Type === 'AWS::StepFunctions::StateMachine');
  if (machines.length !== 1) throw new Error(`expected one state machine in the batch stack, found ${machines.length}`);
  return JSON.parse(render(machines[0].Properties.DefinitionString)) as Record<string, unknown>;
}
