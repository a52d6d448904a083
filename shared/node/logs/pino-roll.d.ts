// pino-roll 4 ships no types; this is the one call rotating-file.ts makes.
declare module 'pino-roll' {
  import type { SonicBoom, SonicBoomOpts } from 'sonic-boom';

  export interface PinoRollOptions extends Omit<SonicBoomOpts, 'dest' | 'fd'> {
    /** The base path: files are `<file>.<n>.<extension>`, the highest n being the one written. */
    file: string;
    /** Bytes when written as `<n>b`; a bare number means megabytes. */
    size?: string | number;
    frequency?: 'daily' | 'hourly' | number;
    extension?: string;
    limit?: { count: number; removeOtherLogFiles?: boolean };
    dateFormat?: string;
    symlink?: boolean;
  }

  export default function pinoRoll(options: PinoRollOptions): Promise<SonicBoom>;
}
