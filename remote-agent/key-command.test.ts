import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { agentDataDir } from './agent-data-dir';
import { apiKeyFileName, loadApiKey } from './api-key';
import { killAgents, runAgentCommand, startAgent } from './fixtures/agent-process';
import { newKeyNotice } from './key-command';

// The API key reaches the admin through `key show`, never through the service's stderr or its log files.
const scratch = () => mkdtempSync(join(tmpdir(), 'cu-agent-key-'));
const keyShow = (args: string[], env: NodeJS.ProcessEnv = process.env) =>
  runAgentCommand(['key', 'show', ...args], env);

afterEach(killAgents);

/** Runs the real agent as a service does (stderr a pipe, not a terminal) until it listens, then stops it. */
async function runAgentOnce(dataDir: string): Promise<{ stdout: string; stderr: string }> {
  const agent = await startAgent(['--port', '0', '--data', dataDir]);
  await agent.stop();
  return { stdout: agent.stdout(), stderr: agent.stderr() };
}

describe('the agent shows its API key only on a terminal', () => {
  it('a new key never reaches stdout, a piped stderr or the log files, and the notice says how to show it', async () => {
    const dataDir = join(scratch(), 'agent');
    const { stdout, stderr } = await runAgentOnce(dataDir);
    const key = readFileSync(join(dataDir, apiKeyFileName), 'utf8').trim();
    expect(key).toMatch(/^[\w-]{43}$/);
    const logs = readdirSync(join(dataDir, 'logs')).filter((name) => /^agent\.\d+\.log$/.test(name));
    expect(logs.length).toBeGreaterThan(0);
    const logText = logs.map((name) => readFileSync(join(dataDir, 'logs', name), 'utf8')).join('');
    expect(logText).toContain('Remote Agent listening');
    for (const [name, text] of [
      ['stdout', stdout],
      ['stderr', stderr],
      ['logs', logText],
    ] as const) {
      expect(text.includes(key), `${name} holds the key`).toBe(false);
    }
    expect(stderr).toContain(`New API key stored in ${join(dataDir, apiKeyFileName)}`);
    expect(stderr).toContain(`connection-utility-agent key show --data '${dataDir}'`);
    expect(stderr).toContain(`npm run --silent agent -- key show --data '${dataDir}'`);
  });
});

describe('the new-key notice', () => {
  it('holds the key for a terminal and only where it is otherwise', () => {
    const key = 'k'.repeat(43);
    expect(newKeyNotice('/srv/agent', key, true)).toContain(key);
    expect(newKeyNotice('/srv/agent', key, false)).not.toContain(key);
    expect(newKeyNotice('/srv/agent', key, false)).toContain('/srv/agent/api-key');
  });
});

describe('agent key show', () => {
  it('prints exactly the key in the api-key file, found through --data or CU_AGENT_DATA', async () => {
    const dataDir = join(scratch(), 'agent folder');
    mkdirSync(dataDir, { mode: 0o700 });
    const { key } = await loadApiKey(dataDir, false);
    const stored = readFileSync(join(dataDir, apiKeyFileName), 'utf8').trim();
    expect(stored).toBe(key);
    const byOption = keyShow(['--data', dataDir]);
    expect(byOption).toMatchObject({ status: 0, stdout: `${stored}\n`, stderr: '' });
    const byEnv = keyShow([], { ...process.env, CU_AGENT_DATA: dataDir });
    expect(byEnv).toMatchObject({ status: 0, stdout: `${stored}\n`, stderr: '' });
  });

  it('finds the default folder beside the app data folder, as the agent does', () => {
    const userData = join(scratch(), 'Connection Utility');
    const env: NodeJS.ProcessEnv = { ...process.env, CU_USER_DATA: userData };
    delete env.CU_AGENT_DATA;
    const expected = join(userData, '..', 'Connection Utility Remote Agent');
    expect(agentDataDir(undefined, env)).toBe(expected);
    const result = keyShow([], env);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`There is no API key in ${expected} yet`);
  });

  it.runIf(process.platform !== 'win32')(
    'refuses an api-key that group or others can read, with the chmod line, and prints nothing',
    () => {
      const dataDir = scratch();
      const file = join(dataDir, apiKeyFileName);
      writeFileSync(file, 'a-key-others-can-read\n', { mode: 0o640 });
      chmodSync(file, 0o640);
      const result = keyShow(['--data', dataDir]);
      expect(result.status).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toContain(`chmod 600 '${file}'`);
      expect(result.stderr).not.toContain('a-key-others-can-read');
    },
  );

  it('without a key yet says to start the agent once, exit 1', () => {
    const dataDir = scratch();
    const result = keyShow(['--data', dataDir]);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('start the agent once');
  });

  it('anything but "key show" is a usage error (exit 2)', () => {
    const result = runAgentCommand(['key', 'print']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Usage: agent key show');
  });
});
