import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/** axe-core over the open dialog: no serious or critical violations. */
export async function expectAccessible(page: Page, scope = '[role="dialog"]'): Promise<void> {
  const results = await new AxeBuilder({ page }).include(scope).analyze();
  const blocking = results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      nodes: violation.nodes
        .slice(0, 3)
        .map((node) => `${node.target.join(' ')}: ${node.html.slice(0, 120)}`),
    }));
  expect(blocking).toEqual([]);
}
