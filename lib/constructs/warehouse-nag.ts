import { Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * cdk-nag 3 acknowledgements must match a finding exactly, e.g. `AwsSolutions-IAM5[Resource::<text>]`, where
 * <text> is the resolved resource as cdk-nag prints it. This renders a (possibly tokenised) resource the same way,
 * so an acknowledgement names the one resource it covers in every environment.
 */
export function nagResourceText(scope: IConstruct, value: string): string {
  return nagText(Stack.of(scope).resolve(value));
}

/** How cdk-nag prints a resolved intrinsic in a finding id (`<Ref>`, `${X}` → `<X>`, joins concatenated). */
export function nagText(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, unknown>;
  if (typeof v.Ref === 'string') return `<${v.Ref}>`;
  if (typeof v['Fn::Sub'] === 'string') return (v['Fn::Sub'] as string).replace(/\$\{([^}]+)\}/g, '<$1>');
  if (Array.isArray(v['Fn::GetAtt'])) return `<${(v['Fn::GetAtt'] as string[]).join('.')}>`;
  if (Array.isArray(v['Fn::Join'])) {
    const [sep, parts] = v['Fn::Join'] as [string, unknown[]];
    return parts.map(nagText).join(sep);
  }
  return JSON.stringify(value);
}
