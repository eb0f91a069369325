/**
 * The HTML report prints sensibly: each endpoint starts a page, rows, certificates and findings
 * are never cut across pages, table heads repeat, folded evidence is unfolded (by CSS where the
 * browser has ::details-content, by the script before printing elsewhere), and the screen-only
 * controls are left out.
 */
import t from 'tap';
import { SCRIPT, STYLE } from '../../src/report/htmlAssets.js';

/** The rules inside `@media print { ... }`. */
function printRules(): string {
  const start = STYLE.indexOf('@media print{');
  t.ok(start >= 0, 'a print style sheet');
  return STYLE.slice(start);
}

t.test('every endpoint starts on a new page', async (t) => {
  t.match(printRules(), /\.endpoint,\.workloads\{break-before:page\}/);
});

t.test('rows, certificates and findings are not cut; table heads repeat on each page', async (t) => {
  const rules = printRules();
  t.match(rules, /tr,\.cert,\.findings li,\.error-box,\.count,dl\.kv>\*\{break-inside:avoid\}/);
  t.match(rules, /table\.grid\{break-inside:avoid\}/);
  t.match(rules, /thead\{display:table-header-group\}/);
});

t.test('folded evidence is printed unfolded, and the controls are not printed', async (t) => {
  const rules = printRules();
  t.match(rules, /details::details-content\{content-visibility:visible;display:block\}/);
  t.match(rules, /\.controls[^{]*\{display:none!important\}/);
  t.match(SCRIPT, /addEventListener\('beforeprint'[\s\S]*x\.open = true/);
  t.match(SCRIPT, /addEventListener\('afterprint'[\s\S]*x\.open = false/);
});
