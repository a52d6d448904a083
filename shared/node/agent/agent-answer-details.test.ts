import { describe, expect, it } from 'vitest';
import { withoutSecretDetailKeys } from './agent-answer-details';

describe('withoutSecretDetailKeys', () => {
  it('leaves out secret-named keys of every AppError detail, at any depth the contract nests one', () => {
    const error = (detail: Record<string, unknown>) => ({ code: 'x.y', message: 'm', detail });
    expect(
      withoutSecretDetailKeys({
        ...error({ host: 'h', password: 'p' }),
        stages: [{ id: 's', error: error({ clientSecret: 'c', port: 1 }) }],
      }),
    ).toEqual({
      ...error({ host: 'h' }),
      stages: [{ id: 's', error: error({ port: 1 }) }],
    });
  });

  it('leaves a detail that is not an AppError’s alone, and everything else as it was', () => {
    const value = { detail: { password: 'kept: not an error' }, list: [1, 'two', null], text: 'password=x' };
    expect(withoutSecretDetailKeys(value)).toEqual(value);
    expect(withoutSecretDetailKeys('plain')).toBe('plain');
    expect(withoutSecretDetailKeys(null)).toBeNull();
  });
});
