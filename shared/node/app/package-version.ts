import packageJson from '../../../package.json' with { type: 'json' };

/** The version the CLI and the development host report; Electron reads the same field through app.getVersion(). */
export const packageVersion: string = packageJson.version;
