import { describe, expect, it } from 'vitest';
import { AppErrorSchema } from './app-error';

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
