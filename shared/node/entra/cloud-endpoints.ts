import type { z } from 'zod';
import type { CloudSchema } from '../../common/connections/connection';

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
  return {
    authorityHost: strip(overrides.authorityHost ?? base.authorityHost),
    graphHost: strip(overrides.graphHost ?? base.graphHost),
    graphScope: `${base.graphHost}/.default`,
  };
}
