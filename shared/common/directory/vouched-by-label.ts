import type { VouchedBy } from './directory-test';

/** Why a certificate was accepted, in the words the window and the CLI both use. */
export const vouchedByLabel: Record<VouchedBy, string> = {
  pinned: 'Pinned',
  connectionCa: 'Trusted by this connection’s CA',
  bundled: 'Trusted by a public certificate authority',
  system: 'Trusted by the operating system’s certificate store',
};
