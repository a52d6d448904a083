import { describe, expect, it } from 'vitest';
import { AppErrorSchema, AppFailure, isAppFailure } from './app-error';

// An AppError's detail is shown in the window, logged and put in support bundles: its keys are free, but a key
// that names a secret is refused by the contract itself, whoever builds the error.

const withDetail = (detail: Record<string, unknown>) =>
  AppErrorSchema.safeParse({ code: 'ad.invalidCredentials', message: 'Wrong.', detail });

describe('AppError detail', () => {
  it.each([
    'password',
    'bindPassword',
    'userPwd',
    'clientSecret',
    'secretFile',
    'apiKey',
    'x-api-key',
    'token',
    'accessToken',
    'key',
    'privateKey',
    'credential',
    'authorization',
    'clientAssertion',
    'cookie',
    'passphrase',
  ])('refuses the key %s, naming it without its value', (key) => {
    const parsed = withDetail({ host: 'dc1', [key]: 'Sup3r-Secret!' });
    expect(parsed.success).toBe(false);
    expect(JSON.stringify(parsed.error?.issues)).toContain('a detail key that names a secret');
  });

  it.each([
    'host',
    'port',
    'keyFile',
    'fingerprint',
    'pinnedFingerprint',
    'passwordExpiresAt',
    'pwdLastSet',
    'elapsedMs',
    'authMode',
  ])('takes the key %s', (key) => {
    expect(withDetail({ [key]: 'value' }).success).toBe(true);
  });
});

describe('AppError code and AppFailure', () => {
  it.each(['Ad.timeout', 'ad..timeout', 'ad.', 'ad timeout', ''])(
    'refuses the code %j as not dotted',
    (code) => {
      const parsed = AppErrorSchema.safeParse({ code, message: 'm' });
      expect(parsed.error?.issues.map((issue) => issue.message)).toEqual(['a dotted error code']);
    },
  );

  it('names itself AppFailure, so a log line tells it from an unexpected error', () => {
    const failure = new AppFailure({ code: 'ad.timeout', message: 'No answer.' });
    expect(failure.name).toBe('AppFailure');
    expect(String(failure)).toBe('AppFailure: No answer.');
    expect(isAppFailure(failure)).toBe(true);
    expect(isAppFailure(new Error('No answer.'))).toBe(false);
  });
});
