import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { readSnapshot, servedDocument, snapshotFile, snapshotVerdict } from './openapi-snapshot';

// npm run openapi:snapshot: records the document the agent serves as the contract's snapshot, unless it breaks
// clients of the recorded one at the same major version.

const served = await servedDocument();
const verdict = existsSync(snapshotFile) ? snapshotVerdict(readSnapshot(), served) : null;
if (verdict?.state === 'breaking') {
  process.stderr.write(`${verdict.message}\n`);
  process.exit(1);
}
writeFileSync(snapshotFile, `${JSON.stringify(served, null, 2)}\n`);
// Biome's layout, so that the lint step of npm test finds nothing to change.
const biome = createRequire(import.meta.url).resolve('@biomejs/biome/bin/biome');
const formatted = spawnSync(process.execPath, [biome, 'format', '--write', snapshotFile], {
  stdio: 'inherit',
});
if (formatted.status !== 0) process.exit(formatted.status ?? 1);
process.stdout.write(
  verdict === null
    ? `Recorded ${snapshotFile}.\n`
    : `Recorded ${snapshotFile}: ${verdict.changes.length} change(s) a client sees${verdict.changes
        .map(({ at, change }) => `\n  - ${at}: ${change}`)
        .join('')}\n`,
);
