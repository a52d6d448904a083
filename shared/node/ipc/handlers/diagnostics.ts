import { AppFailure } from '../../../common/errors/app-error';
import type { ConnectionStoreProvider } from '../../connections/connection-store-provider';
import type { LastDiagnoses } from '../../diagnostics/last-diagnoses';
import type { Handlers } from '../router';
import type { SystemTrust } from './system-trust';

type DiagnosticsHandlers = Pick<Handlers, 'diagnostics:run'>;

export interface DiagnosticsDependencies {
  stores: ConnectionStoreProvider;
  systemTrust: SystemTrust;
  userDataDir: string;
  last: LastDiagnoses;
}

// STUB: replaced by the diagnostics engine's handler.
export function createDiagnosticsHandlers(_deps: DiagnosticsDependencies): DiagnosticsHandlers {
  return {
    async 'diagnostics:run'() {
      throw new AppFailure({ code: 'internal', message: 'Not built yet.' });
    },
  };
}
