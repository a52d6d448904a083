import type { EmulatorInfo } from './e2e/fixtures/entra-emulator/emulator';
import type { SambaDcInfo } from './e2e/fixtures/samba/samba-dc';

// What the vitest global setup provides to tests (inject('samba'), inject('entra')).
declare module 'vitest' {
  export interface ProvidedContext {
    samba: SambaDcInfo;
    entra: EmulatorInfo;
  }
}
