import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { artifactsDir } from '../fixtures/app-fixture';

/**
 * A picture of the window for the user guide (npm run docs:screenshots copies the chosen ones into docs/images).
 * Animations are finished first: the tab indicator and focus underline move after the window moves focus.
 */
export async function shot(page: Page, name: string): Promise<void> {
  await mkdir(artifactsDir, { recursive: true });
  await page.screenshot({ path: join(artifactsDir, `${name}.png`), animations: 'disabled' });
}
