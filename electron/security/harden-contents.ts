import type { App, Session } from 'electron';
import { denyPermission, type NavigationPolicy, onWillNavigate, windowOpenHandler } from './navigation';

/** Every web contents the app ever creates: no navigation, no new windows, no webviews, no permissions. */
export function hardenContents(app: App, session: Session, policy: NavigationPolicy): void {
  session.setPermissionRequestHandler(denyPermission);
  session.setPermissionCheckHandler(() => false);
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', onWillNavigate(policy));
    contents.on('will-redirect', onWillNavigate(policy));
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(windowOpenHandler(policy));
  });
}
