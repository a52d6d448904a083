import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/**
 * axe-core over the open dialog: no serious or critical violations. First the dialog's finite animations end
 * (Fluent fades a dialog in): axe judges colours as drawn, and a button caught mid-fade fails its contrast check.
 */
export async function expectAccessible(page: Page, scope = '[role="dialog"]'): Promise<void> {
  await page.evaluate(async (selector) => {
    const settled = [...document.querySelectorAll(selector)].flatMap((element) =>
      element
        .getAnimations({ subtree: true })
        // A spinner runs forever: only what ends is waited for.
        .filter((animation) => animation.effect?.getComputedTiming().endTime !== Number.POSITIVE_INFINITY)
        .map((animation) => animation.finished.catch(() => undefined)),
    );
    await Promise.all(settled);
  }, scope);
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
