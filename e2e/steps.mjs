// Steps that run in order: once one fails the rest are skipped. After each step the page
// it returns is saved as a screenshot (`<prefix>-NN.png`) and checked with axe-core.
import { it } from 'node:test';
import { join } from 'node:path';
import { checkAccessibility } from './axe.mjs';

export function stepper(results, prefix) {
  let failed = false;
  let shot = 0;
  return function step(name, fn) {
    it(name, async (t) => {
      if (failed) {
        t.skip('an earlier step failed');
        return;
      }
      try {
        const page = await fn();
        if (page) {
          const n = String(++shot).padStart(2, '0');
          await page.screenshot({ path: join(results, `${prefix}-${n}.png`), fullPage: true });
          await checkAccessibility(page, name);
        }
      } catch (err) {
        failed = true;
        throw err;
      }
    });
  };
}
