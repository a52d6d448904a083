import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { OpenAPIV3 } from 'openapi-types';
import { KeyFileVault } from '../shared/node/vault/key-file-vault';
import { AgentStore } from './agent-store';
import { type ContractChange, contractChanges } from './openapi-diff';
import { buildAgent } from './server';

// The agent's OpenAPI document is a contract: the committed snapshot is what clients were generated from, and a
// breaking change to it needs a new major version of the agent (and so of the document's info.version).

export const snapshotFile = join(import.meta.dirname, 'openapi.snapshot.json');
export const snapshotCommand = 'npm run openapi:snapshot';

/** The document the agent serves at /swagger/json, built in process on a throw-away store. */
export async function servedDocument(): Promise<OpenAPIV3.Document> {
  const dir = mkdtempSync(join(tmpdir(), 'cu-openapi-'));
  try {
    const store = await AgentStore.open(dir, await KeyFileVault.open(dir));
    const agent = await buildAgent({ store, apiKey: 'unused: the document needs no key' });
    try {
      return (await agent.app.inject({ url: '/swagger/json' })).json();
    } finally {
      await agent.app.close();
      store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function readSnapshot(): OpenAPIV3.Document {
  return JSON.parse(readFileSync(snapshotFile, 'utf8'));
}

export interface SnapshotVerdict {
  /** same: nothing a client sees changed; changed: record it; breaking: refused at this major version. */
  state: 'same' | 'changed' | 'breaking';
  changes: ContractChange[];
  message: string;
}

const major = (document: OpenAPIV3.Document) => Number.parseInt(document.info.version, 10);

/** The document as the contract compares it: a new minor or patch version alone changes nothing. */
const contract = (document: OpenAPIV3.Document) => ({
  ...document,
  info: { ...document.info, version: major(document) },
});

const listed = (changes: ContractChange[]) =>
  changes.map(({ at, change }) => `\n  - ${at}: ${change}`).join('') || '\n  - descriptions or details';

/** Whether `served` may replace the snapshot, and what to do about it. */
export function snapshotVerdict(snapshot: OpenAPIV3.Document, served: OpenAPIV3.Document): SnapshotVerdict {
  if (isDeepStrictEqual(contract(snapshot), contract(served)))
    return { state: 'same', changes: [], message: '' };
  const changes = contractChanges(snapshot, served);
  const breaking = changes.filter((change) => change.breaking);
  if (breaking.length > 0 && major(served) <= major(snapshot))
    return {
      state: 'breaking',
      changes,
      message:
        `The agent's OpenAPI document breaks clients generated from ${snapshot.info.version}:${listed(breaking)}\n` +
        `Keep the old behaviour beside the new, or raise the major version in package.json (now ` +
        `${served.info.version}) and run \`${snapshotCommand}\`.`,
    };
  return {
    state: 'changed',
    changes,
    message:
      `The agent's OpenAPI document changed since the snapshot:${listed(changes)}\n` +
      `Run \`${snapshotCommand}\` to record it, and commit remote-agent/openapi.snapshot.json.`,
  };
}
