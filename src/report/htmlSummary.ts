/**
 * The top of the HTML report, what a reader sees before scrolling: the run's verdict in one
 * sentence, the pass / fail / error counts with a bar, the facts that make the page evidence
 * (policy and the SHA-256 of its document, tool version, start, duration, the command line),
 * and the list of endpoints linking to their sections, which the script sorts and filters.
 */
import type { Verdict } from '../model/verdict.js';
import type { JsonDocument, JsonEndpoint } from './json.js';
import { html, join, type Html } from './htmlEscape.js';
import { duration, plural, timeOf, verdictBadge } from './htmlParts.js';
import { redactSecrets } from './redact.js';

const VERDICTS: readonly Verdict[] = ['fail', 'error', 'pass', 'not-tls'];

/** The verdicts the summary shows: fail, error and pass always; not-tls when a port answered in plaintext. */
function shownVerdicts(summary: JsonDocument['summary']): readonly Verdict[] {
  return summary['not-tls'] > 0 ? VERDICTS : VERDICTS.filter((v) => v !== 'not-tls');
}

/** The run's verdict as the exit code decides it: fail beats error beats pass (workloads counted as scan counts them). */
export function runVerdict(doc: JsonDocument): Verdict {
  const verdicts = [...doc.endpoints.map((e) => e.verdict), ...(doc.workloads ?? []).flatMap((w) => (w.verdict === 'n/a' ? [] : [w.verdict]))];
  return verdicts.includes('fail') ? 'fail' : verdicts.includes('error') ? 'error' : 'pass';
}

/** The run's verdict in one sentence. */
export function headline(doc: JsonDocument): string {
  const { endpoints: total, fail, error } = doc.summary;
  const notTls = doc.summary['not-tls'];
  const plain = notTls > 0 ? ` (${notTls} not TLS)` : '';
  const policy = `${doc.policy.id} ${doc.policy.version}`;
  if (total === 0) return 'No endpoints in this report';
  if (fail > 0) return `${fail} of ${plural(total, 'endpoint')} ${fail === 1 ? 'fails' : 'fail'} ${policy}${plain}`;
  if (error > 0) return `None fails ${policy}, but ${error} of ${plural(total, 'endpoint')} could not be judged${plain}`;
  if (notTls === total) return total === 1 ? 'The endpoint does not speak TLS' : `None of the ${total} endpoints speaks TLS`;
  if (notTls > 0) return `Every TLS endpoint passes ${policy} (${notTls} of ${plural(total, 'endpoint')} not TLS)`;
  return total === 1 ? `The endpoint passes ${policy}` : `All ${total} endpoints pass ${policy}`;
}

/** The counts as a stacked bar; the numbers are beside it in text, the bar only shows proportion. */
function countsBar(summary: JsonDocument['summary']): Html {
  const total = summary.endpoints;
  if (total === 0) return html``;
  let x = 0;
  const rects = shownVerdicts(summary).map((v) => {
    const width = (summary[v] / total) * 1000;
    const rect = html`<rect class="${v}" x="${x.toFixed(1)}" y="0" width="${width.toFixed(1)}" height="20"></rect>`;
    x += width;
    return rect;
  });
  const label = shownVerdicts(summary).map((v) => `${summary[v]} ${v}`).join(', ');
  return html`<svg class="bar" viewBox="0 0 1000 20" preserveAspectRatio="none" role="img" aria-label="${label}">${rects}</svg>`;
}

/** The verdict counts: one card per verdict (number and word), the total, and the bar. */
function counts(doc: JsonDocument): Html {
  const cards = shownVerdicts(doc.summary).map((v) => html`<div class="${`count ${v}${doc.summary[v] === 0 ? ' zero' : ''}`}"><span class="n">${doc.summary[v]}</span> ${verdictBadge(v)}</div>`);
  const workloads = doc.workloads ?? [];
  const workloadLine =
    workloads.length === 0 ? ''
    : html`<p class="note">Workloads (scan --inspect-local): ${(['fail', 'error', 'pass', 'n/a'] as const).map((v) => `${workloads.filter((w) => w.verdict === v).length} ${v}`).join(', ')}; see <a href="#workloads">Workloads</a>.</p>`;
  return html`<section class="summary" aria-label="Verdict summary">
<div class="counts">${cards}<div class="count total"><span class="n">${doc.summary.endpoints}</span> endpoints</div></div>
${countsBar(doc.summary)}${workloadLine}
</section>`;
}

/** One argument as a POSIX shell would need it quoted to mean the same. */
function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** The recorded command line, secrets removed again in case the file was edited by hand. */
function commandLine(command: readonly string[] | undefined): Html {
  if (command === undefined) return html`<span class="unknown">not recorded in this report (written by an older fipscan, or merged from runs with different command lines)</span>`;
  return html`<code class="cmd">${command.map((arg) => shellQuote(redactSecrets(arg))).join(' ')}</code>`;
}

/** The facts that make the page evidence, as a definition list. */
function facts(doc: JsonDocument): Html {
  const sha = doc.policy.sha256;
  const rows: [string, Html][] = [
    ['Policy', html`<strong>${doc.policy.id}</strong> version ${doc.policy.version}: ${doc.policy.title}`],
    ['Policy SHA-256', sha === undefined ? html`<span class="unknown">not recorded in this report</span>` : html`<code class="hash">${sha}</code>`],
    ['Tool', html`${doc.tool.name} ${doc.tool.version}`],
    ['Started', timeOf(doc.startedAt)],
    ['Duration', html`${duration(doc.durationMs)}`],
    ['Command line', commandLine(doc.command)],
  ];
  return html`<section class="facts" aria-label="About this run"><dl>${rows.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl></section>`;
}

/** What stopped an endpoint from being judged, or how many items stayed open, for the index. */
function openItems(e: JsonEndpoint): Html {
  if (e.error !== null) return html`<code>${e.error.code}</code>`;
  return e.inconclusive.length === 0 ? html`` : html`${plural(e.inconclusive.length, 'item')} inconclusive`;
}

/** The endpoints in report order, with their verdict and counts, each linking to its section. */
function index(doc: JsonDocument): Html {
  if (doc.endpoints.length === 0) return html`<section class="index"><h2>Endpoints</h2><p>No endpoints were scanned in this run.</p></section>`;
  const rows = doc.endpoints.map(
    (e, i) => html`<tr data-verdict="${e.verdict}"><td class="num" data-v="${i}">${i + 1}</td><td class="target"><a href="#ep-${i + 1}">${redactSecrets(e.target)}</a></td><td data-v="${VERDICTS.indexOf(e.verdict)}">${verdictBadge(e.verdict)}</td><td class="num">${e.violations.length}</td><td class="num opt">${e.warnings.length}</td><td>${openItems(e)}</td><td class="num opt">${e.probes}</td><td class="num opt" data-v="${e.durationMs}">${duration(e.durationMs)}</td></tr>`,
  );
  const filters = join(
    (['all', ...shownVerdicts(doc.summary)] as const).map((v) => {
      const n = v === 'all' ? doc.summary.endpoints : doc.summary[v];
      return html`<button type="button" data-filter="${v}" aria-pressed="${v === 'all' ? 'true' : 'false'}">${v} (${n})</button>`;
    }),
  );
  return html`<section class="index" aria-labelledby="index-title">
<h2 id="index-title">Endpoints</h2>
<div class="controls" hidden><span>Show</span> ${filters} <button type="button" data-action="expand" aria-pressed="false">unfold all evidence</button> <span class="hint">Click a column heading to sort.</span></div>
<div class="scroll"><table class="list">
<thead><tr><th data-sort="num" scope="col">#</th><th data-sort="text" scope="col">target</th><th data-sort="num" scope="col">verdict</th><th data-sort="num" scope="col">violations</th><th data-sort="num" scope="col" class="opt">warnings</th><th data-sort="text" scope="col">error / inconclusive</th><th data-sort="num" scope="col" class="opt">probes</th><th data-sort="num" scope="col" class="opt">time</th></tr></thead>
<tbody>${rows}</tbody>
</table></div>
</section>`;
}

/** The page header, counts, run facts and endpoint index. */
export function renderTop(doc: JsonDocument): Html {
  const verdict = runVerdict(doc);
  return html`<header class="top ${verdict}">
<p class="kicker">fipscan compliance report</p>
<h1>${verdictBadge(verdict)} <span>${headline(doc)}</span></h1>
<p class="lede">${doc.policy.title}</p>
</header>
${counts(doc)}
${facts(doc)}
${index(doc)}`;
}
