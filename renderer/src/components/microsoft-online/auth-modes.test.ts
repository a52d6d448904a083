import { describe, expect, it } from 'vitest';
import { AuthModeSchema } from '../../../../shared/common/connections/connection';
import { SaveMicrosoftOnlineRequestSchema } from '../../../../shared/common/connections/save-request';
import { EntraTestRequestSchema } from '../../../../shared/common/entra/tenant-test';
import {
  authModeLabel,
  authModes,
  browserSignInTimeoutMs,
  isInteractive,
  signInChannel,
  usesSecret,
  usesUser,
} from './auth-modes';
import { newDraft, saveRequest, signInRequest, validateAzure } from './microsoft-online-draft';

const browserDraft = () => ({
  ...newDraft(null),
  tenantDomain: 'contoso.test',
  userPrincipalName: 'mfa@contoso.test',
});

describe('the Microsoft Online wizard’s authentication modes', () => {
  it('opens on browser sign-in, the first mode offered', () => {
    expect(newDraft(null).authMode).toBe('browser');
    expect(authModes[0]).toBe('browser');
    expect(authModeLabel.browser).toBe('Browser sign-in (user with MFA)');
  });

  it('offers every mode main accepts, each once, and keeps password (last, no longer the default)', () => {
    expect([...authModes].sort()).toEqual([...AuthModeSchema.options].sort());
    expect(authModes.at(-1)).toBe('password');
  });

  it('signs a person in without a secret in browser and device code, with one in the other modes', () => {
    expect(authModes.filter(isInteractive)).toEqual(['browser', 'deviceCode']);
    expect(authModes.filter(usesSecret).sort()).toEqual(['certificate', 'clientSecret', 'password']);
    expect(authModes.filter(usesUser).sort()).toEqual(['browser', 'deviceCode', 'password']);
  });

  it('uses the device-code channel only for device code', () => {
    expect(signInChannel('deviceCode')).toBe('entra:startDeviceCode');
    expect(signInChannel('browser')).toBe('entra:test');
    expect(signInChannel('password')).toBe('entra:test');
  });
});

describe('a browser sign-in request', () => {
  it('names the user as the login hint, sends no secret, and waits long enough for a person', () => {
    const request = signInRequest({ ...browserDraft(), secret: 'typed before switching modes' });
    expect(request).toMatchObject({
      authMode: 'browser',
      domain: 'contoso.test',
      userPrincipalName: 'mfa@contoso.test',
      timeoutMs: browserSignInTimeoutMs,
    });
    expect(request).not.toHaveProperty('secret');
    expect(EntraTestRequestSchema.safeParse({ ...request, operationId: 'op-1' }).success).toBe(true);
  });

  it('keeps the default time limit for the modes that need no person', () => {
    const request = signInRequest({ ...browserDraft(), authMode: 'password', secret: 'x' });
    expect(request).not.toHaveProperty('timeoutMs');
  });

  it('asks for the e-mail and nothing secret before signing in', () => {
    expect(validateAzure(browserDraft())).toEqual({});
    expect(validateAzure({ ...browserDraft(), userPrincipalName: '' })).toHaveProperty('userPrincipalName');
    expect(validateAzure({ ...browserDraft(), authMode: 'password' })).toHaveProperty('secret');
  });

  it('saves the user and no secret', () => {
    const saved = saveRequest({ ...browserDraft(), secret: 'stale' }, 'contoso.test', undefined);
    expect(saved).toMatchObject({ authMode: 'browser', userPrincipalName: 'mfa@contoso.test' });
    expect(saved).not.toHaveProperty('secret');
    expect(SaveMicrosoftOnlineRequestSchema.safeParse(saved).success).toBe(true);
  });
});
