import { ENVIRONMENTS } from '../../lib/config/environments';
import { parseEnvironmentConfig } from '../../lib/config';
import { scheduleExpressionProblem, vpcCidrProblem } from '../../lib/config/expressions';

const withOverride = (patch: (c: Record<string, any>) => void) => {
  const raw = structuredClone(ENVIRONMENTS.dev) as Record<string, any>;
  patch(raw);
  return () => parseEnvironmentConfig(raw, 'dev');
};

describe('schedule expressions are checked for what they mean', () => {
  test.each([
    'cron(5 * * * ? *)',
    'cron(0/15 8-17 ? * MON-FRI *)',
    'cron(0 12 L * ? 2026-2030)',
    'cron(0 9 ? JAN,JUL 2#1 *)',
    'cron(0 0 15W * ? *)',
    'rate(1 hour)',
    'rate(15 minutes)',
    'rate(2 days)',
    'at(2026-06-01T10:00:00)',
  ])('%s is accepted', (e) => expect(scheduleExpressionProblem(e)).toBeUndefined());

  test.each([
    ['cron(every hour)', /6 fields/],
    ['cron(5 * * * *)', /6 fields.*got 5/],
    ['cron(60 * * * ? *)', /minutes "60"/],
    ['cron(0 24 * * ? *)', /hours "24"/],
    ['cron(0 0 32 * ? *)', /day-of-month "32"/],
    ['cron(0 0 * 13 ? *)', /month "13"/],
    ['cron(0 0 ? * 8 *)', /day-of-week "8"/],
    ['cron(0 0 ? * MON#6 *)', /occurrence after # must be 1–5/],
    ['cron(0 0 * * * *)', /exactly one of day-of-month and day-of-week/],
    ['cron(0 0 ? * ? *)', /exactly one of day-of-month and day-of-week/],
    ['cron(0 0 * * ? 1969)', /year "1969"/],
    ['cron(0/0 * * * ? *)', /step after \/ must be/],
    ['cron(30-10 * * * ? *)', /low to high/],
    ['cron(? * * * ? *)', /minutes cannot be "\?"/],
    ['rate(0 minutes)', /positive whole number/],
    ['rate(-1 hours)', /positive whole number/],
    ['rate(1.5 hours)', /positive whole number/],
    ['rate(1 hours)', /singular unit: rate\(1 hour\)/],
    ['rate(5 minute)', /plural unit: rate\(5 minutes\)/],
    ['rate(5 weeks)', /minute\(s\), hour\(s\) or day\(s\)/],
    ['rate(hourly)', /<value> <unit>/],
    ['at(2026-02-30T10:00:00)', /not a real date/],
    ['at(tomorrow)', /yyyy-mm-ddThh:mm:ss/],
    ['hourly', /cron\(\.\.\.\), rate\(\.\.\.\) or at\(\.\.\.\)/],
  ])('%s is refused: %s', (e, problem) => expect(scheduleExpressionProblem(e)).toMatch(problem));

  test('config validation names the field and shows the value', () => {
    expect(withOverride((c) => (c.schedule.expression = 'cron(every hour)'))).toThrow(
      /schedule\.expression: cron needs 6 fields.*\(got "cron\(every hour\)"\)/,
    );
    expect(withOverride((c) => (c.schedule.expression = 'rate(0 minutes)'))).toThrow(
      /schedule\.expression: rate value "0" must be a positive whole number/,
    );
    expect(withOverride((c) => (c.schedule.expression = 'rate(1 hour)'))().schedule.expression).toBe('rate(1 hour)');
  });
});

describe('VPC CIDR blocks are checked for what they mean', () => {
  test.each(['10.40.0.0/20', '10.0.0.0/16', '192.168.4.0/22', '172.31.0.0/28'])('%s is accepted as a VPC', (c) =>
    expect(vpcCidrProblem(c)).toBeUndefined(),
  );
  test.each([
    ['999.1.1.1/20', /octet 999 is not in 0–255/],
    ['10.0.0.0/8', /between \/16 and \/28/],
    ['10.0.0.0/29', /between \/16 and \/28/],
    ['10.40.1.0/20', /host bits are set: the network address is 10\.40\.0\.0\/20/],
    ['10.40.0/20', /a\.b\.c\.d\/n/],
  ])('%s is refused', (c, problem) => expect(vpcCidrProblem(c)).toMatch(problem));

  test('config validation names the field; the warehouse VPC must hold three /24 subnets', () => {
    expect(withOverride((c) => (c.warehouse.vpcCidr = '999.1.1.1/20'))).toThrow(
      /warehouse\.vpcCidr: octet 999 is not in 0–255 \(got "999\.1\.1\.1\/20"\)/,
    );
    expect(withOverride((c) => (c.warehouse.vpcCidr = '10.40.0.0/24'))).toThrow(
      /warehouse\.vpcCidr: prefix \/24 is too small: the subnets need \/22 or larger/,
    );
    expect(withOverride((c) => (c.warehouse.vpcCidr = '10.40.0.0/22'))().warehouse.vpcCidr).toBe('10.40.0.0/22');
  });
});
