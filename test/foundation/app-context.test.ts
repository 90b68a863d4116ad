import { buildApp } from '../../lib/app';

describe('buildApp context', () => {
  test('a context value that is not a scalar is refused by name', () => {
    expect(() => buildApp({ context: { env: { name: 'dev' } } })).toThrow('context env must be a string, got {"name":"dev"}');
  });
});
