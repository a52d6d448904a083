import type { SambaDcInfo } from './e2e/fixtures/samba/samba-dc';

// What the vitest global setups provide to tests (inject('samba')).
declare module 'vitest' {
  export interface ProvidedContext {
    samba: SambaDcInfo;
  }
}
