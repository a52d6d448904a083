import { CloudSchema } from '../shared/common/connections/connection';
import type { SettingsView } from '../shared/common/settings';
import { oneOf, text } from './cli-options';
import { readNamedFile } from './cli-secrets';
import { entraEndpoints } from './settings-defaults';

/** Where a Microsoft Online command signs in and calls Graph, each over what Settings say. */
export const entraEndpointOptions = {
  cloud: oneOf('--cloud <cloud>', 'the national cloud (default: Settings, else global)', CloudSchema.options),
  authorityHost: text('--authority-host <url>', 'the sign-in host (default: Settings, else the cloud’s)'),
  graphHost: text('--graph-host <url>', 'the Microsoft Graph host (default: Settings, else the cloud’s)'),
  ca: text('--ca <file>', 'a PEM file of CA certificates for a TLS-inspecting proxy (default: Settings)'),
};

/** The cloud, hosts and CA the options name (the --ca file read), completed from Settings. */
export async function endpointsFromOptions(
  values: {
    cloud?: SettingsView['microsoftOnline']['cloud'] | undefined;
    authorityHost?: string | undefined;
    graphHost?: string | undefined;
    ca?: string | undefined;
  },
  stored: SettingsView['microsoftOnline'],
) {
  return entraEndpoints(
    {
      ...(values.cloud ? { cloud: values.cloud } : {}),
      ...(values.authorityHost ? { authorityHost: values.authorityHost } : {}),
      ...(values.graphHost ? { graphHost: values.graphHost } : {}),
      ...(values.ca ? { caPem: await readNamedFile(values.ca) } : {}),
    },
    stored,
  );
}
