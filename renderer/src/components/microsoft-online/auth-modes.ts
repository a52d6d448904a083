import type { z } from 'zod';
import { type AuthModeSchema, interactiveAuthModes } from '../../../../shared/common/connections/connection';

// How a Microsoft Online connection signs in, as the wizard and the edit window offer it.

export type AuthMode = z.infer<typeof AuthModeSchema>;
/** The modes a person signs in with while the wizard waits: no secret is typed or stored. */
export type InteractiveMode = (typeof interactiveAuthModes)[number];
/** The modes that sign in with a stored password, client secret or private key. */
export type SecretMode = Exclude<AuthMode, InteractiveMode>;

/**
 * Microsoft requires MFA of administrators, which a password sign-in cannot pass: a new connection starts on the
 * browser, where the person signs in with whatever their tenant asks (MFA, Conditional Access, consent).
 */
export const defaultAuthMode: AuthMode = 'browser';

/** Why the wizard starts where it does, under the mode list. */
export const authModeAdvice =
  'Microsoft requires MFA for administrators: sign in in your browser; for the host’s unattended use, a certificate.';

/** The mode list in the order it is offered: a person's sign-ins, the app-only ones, then the legacy password. */
export const authModeLabel: Record<AuthMode, string> = {
  browser: 'Browser sign-in (user with MFA)',
  deviceCode: 'Device code (user with MFA)',
  certificate: 'Certificate (app-only, recommended for unattended use)',
  clientSecret: 'Client secret (app-only)',
  password: 'Password (connection user)',
};

export const authModes = Object.keys(authModeLabel) as AuthMode[];

/** What the stored secret of each secret mode is called in sentences ("the stored private key"). */
export const secretNoun: Record<SecretMode, string> = {
  password: 'password',
  clientSecret: 'client secret',
  certificate: 'private key',
};

export const isInteractive = (mode: AuthMode): mode is InteractiveMode =>
  (interactiveAuthModes as readonly AuthMode[]).includes(mode);
export const usesSecret = (mode: AuthMode): mode is SecretMode => !isInteractive(mode);
/** Signs in as a user (UPN; for browser sign-in the login hint) rather than as an app (client id). */
export const usesUser = (mode: AuthMode) => mode === 'password' || isInteractive(mode);

/**
 * How long the wizard waits for a person in the browser: the request's own limit (its default, 60 s, is for
 * machines), as long as main allows.
 */
export const browserSignInTimeoutMs = 300_000;

/** Device code has its own channel (main polls for the code); every other mode is one tenant test. */
export function signInChannel(mode: AuthMode): 'entra:startDeviceCode' | 'entra:test' {
  return mode === 'deviceCode' ? 'entra:startDeviceCode' : 'entra:test';
}
