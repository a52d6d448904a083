import { describe, expect, it } from 'vitest';
import { progressed, startedSignIn } from './sign-in-state';

const url = 'https://login.example.test/contoso.test/oauth2/v2.0/authorize?client_id=x';
const cancel = () => {};

describe('the wizard’s running sign-in', () => {
  it('shows the browser prompt from the page opening until a later step shows the sign-in came back', () => {
    let signIn = startedSignIn(cancel);
    expect(signIn.browser).toBeNull();
    signIn = progressed(signIn, {
      operationId: 'op',
      step: 'Waiting for the sign-in in the browser',
      done: 0,
      total: 5,
      browser: { url },
    });
    expect(signIn).toMatchObject({ step: 'Waiting for the sign-in in the browser', browser: { url } });
    signIn = progressed(signIn, { operationId: 'op', step: 'Signing in', done: 0, total: 5 });
    expect(signIn.browser).toEqual({ url });
    signIn = progressed(signIn, { operationId: 'op', step: 'Reading the organization', done: 1, total: 5 });
    expect(signIn).toMatchObject({ step: 'Reading the organization', browser: null });
    expect(signIn.cancel).toBe(cancel);
  });

  it('keeps the device code up to the end: it is typed on another device', () => {
    const deviceCode = {
      userCode: 'ABCD-EFGH',
      verificationUri: 'https://microsoft.com/devicelogin',
      message: 'Enter ABCD-EFGH at https://microsoft.com/devicelogin',
      expiresInSeconds: 900,
    };
    let signIn = progressed(startedSignIn(cancel), {
      operationId: 'op',
      step: 'Waiting for the device-code sign-in',
      done: 0,
      total: 5,
      deviceCode,
    });
    signIn = progressed(signIn, { operationId: 'op', step: 'Reading the organization', done: 1, total: 5 });
    expect(signIn.deviceCode).toEqual(deviceCode);
  });
});
