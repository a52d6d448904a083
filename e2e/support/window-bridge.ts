import { expect, type Page } from '@playwright/test';
import type { RemoteAgentProcess } from '../fixtures/remote-agent-process';

// A spec arranges through several channels, so the channel is a plain string here, not the typed channel map.
type Invoke = (
  channel: string,
  request: unknown,
) => Promise<{ ok: boolean; value?: unknown; error?: unknown }>;

/** One call through the window's bridge, as the UI makes it; a refusal fails the arrangement loudly. */
export async function callBridge<T>(page: Page, channel: string, request: unknown): Promise<T> {
  const result = await page.evaluate(
    ([name, body]) => {
      const bridge = window.connectionUtility as unknown as { invoke: Invoke } | undefined;
      return bridge?.invoke(name, body);
    },
    [channel, request] as const,
  );
  if (!result?.ok) throw new Error(`${channel} failed: ${JSON.stringify(result)}`);
  return result.value as T;
}

/** `agent`'s API key, typed once as in the Remote Agent tab: main checks it and keeps it sealed for that agent. */
export async function giveAgentKey(page: Page, agent: RemoteAgentProcess): Promise<void> {
  const status = await callBridge<{ authorized: boolean | null }>(page, 'agent:status', {
    host: '127.0.0.1',
    port: agent.port,
    apiKey: agent.apiKey,
  });
  expect(status.authorized).toBe(true);
}

/**
 * A command of the application menu, delivered as main sends its `menu` event. Only the development host has
 * this event path; the native menu itself is unit-tested (electron/menu/app-menu.ts).
 */
export async function sendMenuCommand(page: Page, command: string): Promise<void> {
  await page.evaluate((value) => {
    const emit = (window as unknown as Record<string, (event: string, payload: unknown) => void>)
      .__connectionUtilityEmit;
    emit?.('menu', { command: value });
  }, command);
}
