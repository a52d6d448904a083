import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

// `npm run docs:screenshots`: after a full end-to-end run, copies the screenshots the documents show from
// e2e/artifacts into docs/images. The pictures are the specs' own, so they show the window as it is.

const root = resolve(import.meta.dirname, '..');
export const artifactsDir = join(root, 'e2e', 'artifacts');
export const imagesDir = join(root, 'docs', 'images');

/** The files the specs' shot() writes that README.md and docs/*.md show, by their name in e2e/artifacts. */
export const docScreenshots: readonly string[] = [
  'ad-01-target-information.png',
  'ad-02-untrusted-certificate.png',
  'ad-03-test-results.png',
  'procedure-01-ad-connection.png',
  'procedure-02-welcome.png',
  'procedure-03-azure-ad-information.png',
  'procedure-device-code-shown.png',
  'procedure-browser-sign-in.png',
  'procedure-browser-sign-in-waiting.png',
  'procedure-setup-app-progress.png',
  'procedure-setup-app-done.png',
  'procedure-setup-app-retry.png',
  'procedure-04-local-domain-controller.png',
  'procedure-05-configuration-results.png',
  'procedure-three-domains.png',
  'procedure-06-panel.png',
  'procedure-07-update-remote-agent.png',
  'procedure-08-test-aad-connection.png',
  'procedure-agent-stopped.png',
  'agent-tls-first-contact.png',
  'agent-tls-certificate-changed.png',
  'procedure-renew-certificate-confirm.png',
  'procedure-renew-certificate-report.png',
  'procedure-09-update-agent-in-we.png',
  'secret-binding-retype-password.png',
  'secret-binding-panel-password-needed.png',
  'procedure-expires-column.png',
  'diagnose-side-by-side.png',
  'agents-drift.png',
  'agents-repaired.png',
  'test-history-chart.png',
  'settings.png',
  'remote-agent-swagger.png',
];

export type CopyOutcome = { ok: true; copied: string[] } | { ok: false; missing: string[] };

/** Copies every named file, or none when any is missing (a half-updated set would mix two runs). */
export function copyDocScreenshots(
  from: string = artifactsDir,
  to: string = imagesDir,
  names: readonly string[] = docScreenshots,
): CopyOutcome {
  const missing = names.filter((name) => !existsSync(join(from, name)));
  if (missing.length > 0) return { ok: false, missing };
  mkdirSync(to, { recursive: true });
  for (const name of names) copyFileSync(join(from, name), join(to, name));
  return { ok: true, copied: [...names] };
}

/** The sentence the script prints when it cannot copy. */
export function describeMissing(missing: readonly string[], from: string = artifactsDir): string {
  return (
    `${missing.length} screenshot(s) the documents need are not in ${relative(root, from) || from}: ` +
    `${missing.join(', ')}. Run the end-to-end tests (npm run test:e2e) first; if a spec renamed its shot(), ` +
    'update the list in scripts/docs-screenshots.ts and the documents that show it.'
  );
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const outcome = copyDocScreenshots();
  if (outcome.ok) {
    process.stdout.write(
      `Copied ${outcome.copied.length} screenshot(s) into ${relative(root, imagesDir)}.\n`,
    );
  } else {
    process.stderr.write(`${describeMissing(outcome.missing)}\n`);
    process.exitCode = 1;
  }
}
