import { afterEach, describe, expect, it, vi } from 'vitest';
import { skewSeconds, skewVerdict } from './clock-skew';
import { proxyChoice, shownProxy } from './proxy-choice';

afterEach(() => {
  vi.unstubAllEnvs();
});

const login = new URL('https://login.microsoftonline.com/contoso.com');

function environment(values: Record<string, string>) {
  for (const name of ['https_proxy', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY', 'no_proxy', 'NO_PROXY'])
    vi.stubEnv(name, values[name] ?? '');
}

describe('proxyChoice: which proxy, and how it was chosen', () => {
  it('names the variable that chose the proxy, lower case first as proxy-from-env reads them', () => {
    environment({ HTTPS_PROXY: 'http://proxy.corp:3128' });
    expect(proxyChoice(login)).toMatchObject({
      proxy: 'http://proxy.corp:3128',
      how: 'environment',
      variable: 'HTTPS_PROXY',
      sentence: 'via http://proxy.corp:3128 (HTTPS_PROXY)',
    });
    environment({ https_proxy: 'http://lower.corp:8080', HTTPS_PROXY: 'http://upper.corp:3128' });
    expect(proxyChoice(login)).toMatchObject({ proxy: 'http://lower.corp:8080', variable: 'https_proxy' });
    environment({ ALL_PROXY: 'http://all.corp:3128' });
    expect(proxyChoice(login).sentence).toBe('via http://all.corp:3128 (ALL_PROXY)');
  });

  it('says which NO_PROXY excluded the host, a parent domain included', () => {
    environment({ HTTPS_PROXY: 'http://proxy.corp:3128', NO_PROXY: 'intranet.corp,microsoftonline.com' });
    expect(proxyChoice(login)).toMatchObject({
      proxy: null,
      how: 'noProxy',
      variable: 'NO_PROXY',
      sentence: 'direct: login.microsoftonline.com matches NO_PROXY (HTTPS_PROXY is set)',
    });
  });

  it('says when no proxy is set at all', () => {
    environment({});
    expect(proxyChoice(login)).toMatchObject({ proxy: null, how: 'none', variable: null });
  });

  it('never shows a proxy’s credentials, but keeps them for the tunnel', () => {
    environment({ HTTPS_PROXY: 'http://alice:s3cret-pass@proxy.corp:3128' });
    const choice = proxyChoice(login);
    expect(choice.sentence).toBe('via http://proxy.corp:3128 (HTTPS_PROXY)');
    expect(JSON.stringify({ ...choice, proxyUrl: undefined })).not.toContain('s3cret');
    expect(choice.proxyUrl).toContain('s3cret-pass');
    expect(shownProxy('proxy.corp:3128')).toBe('http://proxy.corp:3128');
  });
});

describe('clock skew against the authority’s Date', () => {
  const at = Date.parse('2026-01-01T12:00:00Z');
  const answer = (offsetSeconds: number) => ({
    date: new Date(at + offsetSeconds * 1000).toUTCString(),
    sentAt: at + 400,
    receivedAt: at + 600,
  });

  it('reads the skew against the middle of the round trip, in whole seconds', () => {
    expect(skewSeconds(answer(0))).toBe(0);
    expect(skewSeconds(answer(180))).toBe(180);
    expect(skewSeconds(answer(-360))).toBe(-360);
    expect(skewSeconds({ date: undefined, sentAt: at, receivedAt: at })).toBeNull();
    expect(skewSeconds({ date: 'yesterday', sentAt: at, receivedAt: at })).toBeNull();
  });

  it('is fine up to 2 minutes, warns over 2 and fails over 5, saying which clock is behind', () => {
    expect(skewVerdict(120, 'login.microsoftonline.com')).toEqual({
      detail: 'skew 120 s against login.microsoftonline.com (this host is 2 min behind)',
    });
    const warned = skewVerdict(180, 'login.microsoftonline.com');
    expect(warned.failure).toBeUndefined();
    expect(warned.warning).toMatchObject({
      code: 'entra.clockSkew',
      message: 'This host’s clock is 3 minutes behind login.microsoftonline.com.',
      detail: { skewSeconds: 180 },
    });
    const failed = skewVerdict(-360, 'login.microsoftonline.com');
    expect(failed.warning).toBeUndefined();
    expect(failed.failure).toMatchObject({
      code: 'entra.clockSkew',
      message: 'This host’s clock is 6 minutes ahead of login.microsoftonline.com.',
      hint: expect.stringContaining('refused beyond 5 minutes'),
    });
  });
});
