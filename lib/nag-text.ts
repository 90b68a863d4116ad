import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * cdk-nag 3 acknowledgements must match a finding exactly, e.g. `AwsSolutions-IAM5[Resource::<text>]`, where <text>
 * is the resolved resource as cdk-nag prints it (`<Ref>`, `<Res.Attr>`, `${X}` → `<X>`, joins concatenated). This
 * renders a (possibly tokenised) value the same way, so an acknowledgement names the one resource it covers in every
 * environment.
 */
export function nagText(scope: IConstruct, value: string): string {
  return render(Stack.of(scope).resolve(value));
}

function render(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, unknown>;
  if (typeof v.Ref === 'string') return `<${v.Ref}>`;
  if (typeof v['Fn::Sub'] === 'string') return v['Fn::Sub'].replace(/\$\{([^}]+)\}/g, '<$1>');
  if (Array.isArray(v['Fn::GetAtt'])) return `<${(v['Fn::GetAtt'] as string[]).join('.')}>`;
  if (Array.isArray(v['Fn::Join'])) {
    const [sep, parts] = v['Fn::Join'] as [string, unknown[]];
    return parts.map(render).join(sep);
  }
  return JSON.stringify(value);
}
