import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultUserDataDir } from '../shared/node/paths/user-data-dir';
import { launchRendererHost } from './renderer-host';

// `npm run dev:host`: the app's UI in Debian's Chromium, driven by the real main-process code, for machines
// without an Electron binary. Headed when a display is present.

const usage = `Usage: npm run dev:host -- [--headless] [--user-data DIR] [--screenshot FILE] [--save-as FILE] [--no-build]

Builds the renderer, opens it in Chromium and wires window.connectionUtility to the real router in this process.
  --headless         no window even when a display is present
  --user-data DIR    data folder (default: the app's own, or CU_USER_DATA)
  --screenshot FILE  save a PNG of the window and exit
  --save-as FILE     what the stand-in Save dialog answers (Settings → routes file → Choose...);
                     without it the dialog is cancelled
  --no-build         reuse out/renderer from the last build

Browser sign-in (Microsoft Online) opens its sign-in page in a new window of the same Chromium, which trusts
any certificate (as your own browser would trust the sign-in host); headless, copy the address the wizard shows.
`;

async function main(): Promise<void> {
  let values: ReturnType<typeof parse>;
  try {
    values = parse();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    process.exit(2);
  }
  if (values.help) {
    process.stdout.write(usage);
    return;
  }
  if (!values['no-build']) {
    process.stderr.write('Building the renderer…\n');
    execFileSync(process.execPath, [resolve('node_modules/electron-vite/bin/electron-vite.js'), 'build'], {
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  const headless = values.headless || Boolean(values.screenshot) || !process.env.DISPLAY;
  const host = await launchRendererHost({
    userDataDir: values['user-data'] ?? defaultUserDataDir(),
    headless,
    ...(values['save-as'] ? { saveAs: resolve(values['save-as']) } : {}),
    onTrace: (trace) => process.stderr.write(`ipc ${trace.channel} ${trace.outcome} ${trace.ms} ms\n`),
    onUnexpectedError: (error, facts) =>
      process.stderr.write(
        `internal error ${facts.errorId}: ${error instanceof Error ? error.message : 'non-error'}\n`,
      ),
  });
  if (values.screenshot) {
    // The status line shows the data folder only once app:info came back through the bridge.
    const status = host.page.getByRole('status', { name: 'Status' });
    const ready = await status
      .getByText(/Data: /)
      .waitFor({ timeout: 15_000 })
      .then(() => true)
      .catch(() => false);
    const file = resolve(values.screenshot);
    mkdirSync(dirname(file), { recursive: true });
    await host.page.screenshot({ path: file });
    process.stdout.write(`Screenshot saved to ${file}\n`);
    if (!ready)
      process.stderr.write(`The window did not reach the main process: ${await status.textContent()}\n`);
    await host.close();
    process.exitCode = ready ? 0 : 1;
    return;
  }
  process.stdout.write(
    `Development host running at ${host.url} (${headless ? 'headless' : 'headed'}). Press Ctrl+C to stop.\n`,
  );
  const stop = () => void host.close().finally(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  host.browser.once('disconnected', stop);
}

function parse() {
  return parseArgs({
    options: {
      headless: { type: 'boolean', default: false },
      'user-data': { type: 'string' },
      screenshot: { type: 'string' },
      'save-as': { type: 'string' },
      'no-build': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  }).values;
}

void main();
