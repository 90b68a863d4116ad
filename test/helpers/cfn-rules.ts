/**
 * A small evaluator of CloudFormation template `Rules` (the rule functions CDK emits: Fn::Contains, Fn::Equals,
 * Fn::Not, Fn::And, Fn::Or, Ref to parameters): which rules would reject a deployment with given parameter values.
 */
type Json = unknown;

function value(expr: Json, params: Record<string, string>): Json {
  if (expr !== null && typeof expr === 'object' && !Array.isArray(expr)) {
    const [[fn, arg]] = Object.entries(expr as Record<string, Json>);
    if (fn === 'Ref') {
      if (!(String(arg) in params)) throw new Error(`rule refers to unknown parameter ${String(arg)}`);
      return params[String(arg)];
    }
    return holds(expr, params);
  }
  if (Array.isArray(expr)) return expr.map((e) => value(e, params));
  return expr;
}

function holds(expr: Json, params: Record<string, string>): boolean {
  const [[fn, arg]] = Object.entries(expr as Record<string, Json>);
  const args = arg as Json[];
  switch (fn) {
    case 'Fn::Contains':
      return (value(args[0], params) as Json[]).includes(value(args[1], params));
    case 'Fn::Equals':
      return value(args[0], params) === value(args[1], params);
    case 'Fn::Not':
      return !holds(args[0], params);
    case 'Fn::And':
      return args.every((a) => holds(a, params));
    case 'Fn::Or':
      return args.some((a) => holds(a, params));
    default:
      throw new Error(`unsupported rule function ${fn}`);
  }
}

/** The AssertDescription of every assertion that fails (the deployment would be refused with these). */
export function failingAssertions(
  template: { Rules?: Record<string, { RuleCondition?: Json; Assertions: { Assert: Json; AssertDescription?: string }[] }> },
  params: Record<string, string>,
): string[] {
  const out: string[] = [];
  for (const [name, rule] of Object.entries(template.Rules ?? {})) {
    if (rule.RuleCondition !== undefined && !holds(rule.RuleCondition, params)) continue;
    for (const a of rule.Assertions) if (!holds(a.Assert, params)) out.push(`${name}: ${a.AssertDescription ?? ''}`);
  }
  return out;
}
