import type { AppInfo } from '../../../common/app-info';
import { AppFailure } from '../../../common/errors/app-error';
import type { ConnectionStoreProvider } from '../../connections/connection-store-provider';
import type { LastDiagnoses } from '../../diagnostics/last-diagnoses';
import type { FileChooser } from '../file-chooser';
import type { Handler, Handlers } from '../router';
import type { SystemTrust } from './system-trust';

type BundleHandlers = Pick<Handlers, 'diagnostics:exportBundle'>;

export interface BundleDependencies {
  stores: ConnectionStoreProvider;
  systemTrust: SystemTrust;
  appInfo: AppInfo;
  chooseFile: FileChooser;
  last: LastDiagnoses;
  diagnose: Handler<'diagnostics:run'>;
}

// STUB: replaced by the support bundle's handler.
export function createDiagnosticsBundleHandler(_deps: BundleDependencies): BundleHandlers {
  return {
    async 'diagnostics:exportBundle'() {
      throw new AppFailure({ code: 'internal', message: 'Not built yet.' });
    },
  };
}
