import { describe, expect, it } from 'vitest';
import { isLoopbackHost } from './loopback-host';

describe('isLoopbackHost', () => {
  it('knows 127.0.0.0/8, ::1 and localhost in every spelling as loopback', () => {
    for (const host of [
      'localhost',
      'LocalHost',
      '127.0.0.1',
      '127.255.255.254',
      '127.1',
      '::1',
      '[::1]',
      '0:0:0:0:0:0:0:1',
      '::ffff:127.0.0.1',
    ])
      expect(isLoopbackHost(host), host).toBe(true);
  });

  it('knows nothing else as loopback: wildcards, other addresses, names that merely start like it', () => {
    for (const host of [
      '0.0.0.0',
      '::',
      '::2',
      '128.0.0.1',
      '1.127.0.0',
      '10.0.0.1',
      '::ffff:10.0.0.1',
      'localhost.evil.example',
      '127.0.0.1.nip.io',
      'agent.contoso.test',
      '',
      'user@127.0.0.1',
      '127.0.0.1/x',
    ])
      expect(isLoopbackHost(host), host).toBe(false);
  });
});
