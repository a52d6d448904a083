import type { AppInfo } from '../../../common/app-info';
import type { Handler } from '../router';

/** The host computes the facts once at start-up; the handler only hands them out. */
export function createAppInfoHandler(info: AppInfo): Handler<'app:info'> {
  return () => info;
}
