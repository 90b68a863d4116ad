import { loadEnvironmentConfig } from '../../lib/config';
import { confirmWrite, contextOverrides, numberFlag, Progress, resolveEnvironment, UsageError } from '../../scripts/cli';

describe('operator CLI conventions', () => {
  it('resolves -c account= and -c region= through the config loader, as the CDK app does', () => {
    const c = resolveEnvironment('staging', ['account=123456789012', 'region=us-east-2']);
    expect([c.account, c.region]).toEqual(['123456789012', 'us-east-2']);
    expect(() => resolveEnvironment('staging', ['account=12'])).toThrow(/account/);
    expect(() => resolveEnvironment('qa', [])).toThrow(/--env qa: Unknown environment "qa"/);
    expect(() => contextOverrides(['env=prod'])).toThrow(UsageError);
    expect(() => contextOverrides(['region'])).toThrow(/-c region needs a value/);
  });

  it('number flags name the flag and the range', () => {
    expect(numberFlag('x', undefined, 5, 1, 10)).toBe(5);
    expect(() => numberFlag('poll-seconds', 'abc', 5, 1, 10)).toThrow(/--poll-seconds must be a number between 1 and 10 \(got "abc"\)/);
    expect(() => numberFlag('n', '', 5, 1, 10)).toThrow(/--n/);
    expect(() => numberFlag('n', '2.5', 5, 1, 10, true)).toThrow(/whole number/);
  });

  it('asks before writing to staging or prod, never for dev', async () => {
    const prod = loadEnvironmentConfig('prod');
    const noTty = { isTty: false, ask: async () => '' };
    await expect(confirmWrite(loadEnvironmentConfig('dev'), 'x', false, noTty)).resolves.toBeUndefined();
    await expect(confirmWrite(prod, 'x', true, noTty)).resolves.toBeUndefined();
    await expect(confirmWrite(prod, 'x', false, noTty)).rejects.toThrow(/add --yes/);
    await expect(confirmWrite(prod, 'x', false, { isTty: true, ask: async () => 'prod' })).resolves.toBeUndefined();
    await expect(confirmWrite(prod, 'x', false, { isTty: true, ask: async () => 'y' })).rejects.toThrow(/not confirmed/);
  });

  it('prints progress at most once per interval', () => {
    let t = 0;
    const lines: string[] = [];
    const p = new Progress(
      () => `at ${t}`,
      5_000,
      (l) => void lines.push(l),
      () => t,
    );
    for (t = 0; t <= 12_000; t += 1_000) p.tick();
    expect(lines).toEqual(['at 5000', 'at 10000']);
  });
});
