import type { z } from 'zod';
import type { CloudSchema } from '../../common/connections/connection';
import { AppFailure } from '../../common/errors/app-error';
import { AppErrorCode } from '../../common/errors/error-codes';

export type Cloud = z.infer<typeof CloudSchema>;

const clouds: Record<Cloud, { authorityHost: string; graphHost: string }> = {
  global: { authorityHost: 'https://login.microsoftonline.com', graphHost: 'https://graph.microsoft.com' },
  usgov: { authorityHost: 'https://login.microsoftonline.us', graphHost: 'https://graph.microsoft.us' },
  china: {
    authorityHost: 'https://login.chinacloudapi.cn',
    graphHost: 'https://microsoftgraph.chinacloudapi.cn',
  },
};

export interface Endpoints {
  authorityHost: string;
  graphHost: string;
  /** The Graph resource the token is for: the cloud's own, even when graphHost points at a proxy or emulator. */
  graphScope: string;
}

export function endpointsFor(
  cloud: Cloud,
  overrides: { authorityHost?: string; graphHost?: string } = {},
): Endpoints {
  const base = clouds[cloud];
  const strip = (url: string) => url.replace(/\/+$/, '');
  const endpoints = {
    authorityHost: strip(overrides.authorityHost ?? base.authorityHost),
    graphHost: strip(overrides.graphHost ?? base.graphHost),
    graphScope: `${base.graphHost}/.default`,
  };
  // The token is for the cloud's own Graph whatever host it is sent to. Signed in at Microsoft, it would be a
  // real tenant's token (an administrator's, with MFA done) handed to whatever Graph host a request named: a
  // Graph host of another kind goes only with a sign-in host of another kind (a private endpoint, the emulator).
  if (
    new URL(endpoints.graphHost).origin !== new URL(base.graphHost).origin &&
    microsoftAuthorities.has(new URL(endpoints.authorityHost).origin)
  ) {
    throw new AppFailure({
      code: AppErrorCode.inputInvalid,
      message: `The Graph host ${new URL(endpoints.graphHost).origin} is not Microsoft's, but the sign-in host is: a Microsoft token is never sent to another host.`,
      hint: 'Set a sign-in host of the same private endpoint or emulator too, or leave both at the cloud’s own.',
      detail: { issues: ['graphHost: goes with a sign-in host other than Microsoft’s'] },
    });
  }
  return endpoints;
}

const microsoftAuthorities = new Set(Object.values(clouds).map((c) => new URL(c.authorityHost).origin));
