// Runs axe-core (from npm) in a page and fails on any WCAG 2.2 A/AA violation.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// Evaluated through the DevTools protocol, so the page's Content-Security-Policy (which
// forbids inline script) stays in force for the page itself.
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export async function checkAccessibility(page, where) {
  await page.evaluate(AXE);
  const result = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    return await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] },
      resultTypes: ['violations'],
    });
  });
  if (result.violations.length > 0) {
    const lines = result.violations.map(
      (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`,
    );
    throw new Error(`accessibility violations on ${where} (${page.url()}):\n  ${lines.join('\n  ')}`);
  }
}
