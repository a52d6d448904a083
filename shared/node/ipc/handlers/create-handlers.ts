import type { AppInfo } from '../../../common/app-info';
import type { ConnectionStoreProvider } from '../../connections/connection-store-provider';
import { LastDiagnoses } from '../../diagnostics/last-diagnoses';
import type { BrowserOpener } from '../../entra/browser-sign-in';
import { DiscoveredControllers } from '../evidence/discovered-controllers';
import { ObservedCertificates } from '../evidence/observed-certificates';
import type { FileChooser } from '../file-chooser';
import type { OperationRegistry } from '../operations';
import { RecentTests } from '../recent-tests';
import type { Handlers } from '../router';
import { createAgentHandlers } from './agent';
import { createAppInfoHandler } from './app-info';
import { createConnectionHandlers } from './connections';
import { createDiagnosticsHandlers } from './diagnostics';
import { createDiagnosticsBundleHandler } from './diagnostics-bundle';
import { createDirectoryHandlers } from './directory';
import { createEntraHandlers } from './entra';
import { createEntraRenewHandlers } from './entra-renew';
import { createEntraSetupAppHandler } from './entra-setup-app';
import { createFleetHandlers } from './fleet';
import { createSettingsHandlers } from './settings';
import { systemTrustFrom } from './system-trust';
import { createWorkflowEngineHandlers } from './workflow-engine';

/**
 * Who writes the requests. The window is untrusted: certificate pins it sends count only when main itself saw
 * the certificate. A terminal's requests are the admin's own typing (`--pin`). Every other rule holds for both.
 */
export type Caller = 'window' | 'terminal';

/** What every host (Electron main, the development host, the CLI) hands to the handlers. */
export interface HandlerDependencies {
  caller: Caller;
  appInfo: AppInfo;
  connectionStores: ConnectionStoreProvider;
  operations: OperationRegistry;
  /** Main's Save dialog: the only way a path main writes is chosen (settings:chooseRoutesFile). */
  chooseFile: FileChooser;
  /** The system browser, for browser sign-in: only the sign-in host's https pages are ever passed to it. */
  openBrowser: BrowserOpener;
}

export function createHandlers(deps: HandlerDependencies): Handlers {
  const recent = new RecentTests();
  // What main itself saw this session: the only evidence that may widen where a stored secret goes.
  const certificates = new ObservedCertificates();
  const controllers = new DiscoveredControllers();
  const systemTrust = systemTrustFrom(deps.appInfo.userDataDir);
  const agent = createAgentHandlers(deps.connectionStores, systemTrust);
  const workflowEngine = createWorkflowEngineHandlers(deps.connectionStores, deps.appInfo.userDataDir);
  // Main's own results this session, for Export diagnostics…
  const lastDiagnoses = new LastDiagnoses();
  const diagnostics = createDiagnosticsHandlers({
    stores: deps.connectionStores,
    systemTrust,
    userDataDir: deps.appInfo.userDataDir,
    last: lastDiagnoses,
  });
  return {
    'app:info': createAppInfoHandler(deps.appInfo),
    ...createConnectionHandlers(deps.connectionStores, recent, controllers),
    ...createDirectoryHandlers({
      stores: deps.connectionStores,
      operations: deps.operations,
      recent,
      certificates,
      controllers,
      caller: deps.caller,
      systemTrust,
    }),
    ...createEntraHandlers(deps.connectionStores, recent, systemTrust, deps.openBrowser, deps.caller),
    ...createEntraSetupAppHandler({
      stores: deps.connectionStores,
      systemTrust,
      openBrowser: deps.openBrowser,
      userDataDir: deps.appInfo.userDataDir,
      caller: deps.caller,
    }),
    ...agent,
    ...createEntraRenewHandlers({
      stores: deps.connectionStores,
      systemTrust,
      updateAgent: agent['agent:update'],
    }),
    ...createSettingsHandlers(deps.appInfo.userDataDir, deps.chooseFile),
    ...workflowEngine,
    ...diagnostics,
    ...createDiagnosticsBundleHandler({
      stores: deps.connectionStores,
      systemTrust,
      appInfo: deps.appInfo,
      chooseFile: deps.chooseFile,
      last: lastDiagnoses,
      diagnose: diagnostics['diagnostics:run'],
    }),
    ...createFleetHandlers({
      stores: deps.connectionStores,
      systemTrust,
      userDataDir: deps.appInfo.userDataDir,
      updateAgent: agent['agent:update'],
      registerRoute: workflowEngine['we:register'],
    }),
  };
}
