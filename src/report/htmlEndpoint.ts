/**
 * One endpoint's section of the HTML report, in the order a reviewer asks: the verdict, then
 * why (each violation with its rule and, when the policy names it, its source; the error that
 * stopped the scan, with what it means; the items the scan could not settle, with why; the
 * warnings), then the evidence, open when the endpoint did not pass and folded away when it did
 * (printing always unfolds it).
 */
import type { JsonDocument, JsonEndpoint, JsonViolation } from './json.js';
import { renderCertificates } from './htmlCertificates.js';
import { html, type Html } from './htmlEscape.js';
import { evidenceSummary, hasEvidence, renderEvidence } from './htmlEvidence.js';
import { duration, errorHint, isSsh, plural, verdictBadge } from './htmlParts.js';
import { redactSecrets } from './redact.js';

/** Where the endpoint was reached (an SSH server: its identification line) and what the scan cost. */
function meta(e: JsonEndpoint): Html {
  const items = [
    ...(e.pod === undefined ? [] : [html`pod <strong>${e.pod}</strong>`]),
    html`address <strong>${e.address ?? 'none'}</strong>`,
    isSsh(e) ? html`SSH <strong>${e.ssh?.identification ?? 'no identification read'}</strong>` : html`SNI <strong>${e.sni ?? 'none'}</strong>`,
    html`${plural(e.probes, 'probe')}`,
    html`${duration(e.durationMs)}`,
  ];
  return html`<p class="meta">${items.map((item, i) => html`${i > 0 ? html`<span class="sep" aria-hidden="true"> · </span>` : ''}<span>${item}</span>`)}</p>`;
}

/** One finding: its rule (and version), the sentence (an inconclusive one with its code), and the source of the rule when given. */
function finding(v: JsonViolation): Html {
  const source = v.source === undefined ? html`` : html`<p class="source">Source: ${v.source}</p>`;
  const code = v.code === undefined ? html`` : html` <code>${v.code}</code>`;
  return html`<li><p><span class="rule">${v.rule}</span>${v.protocol ? html` <span class="proto">${v.protocol}</span>` : ''} ${v.message}${code}</p>${source}</li>`;
}

function findings(title: string, cls: string, list: readonly JsonViolation[]): Html {
  if (list.length === 0) return html``;
  return html`<div class="findings ${cls}"><h3>${title}</h3><ol>${list.map(finding)}</ol></div>`;
}

/** The error that kept the endpoint from being judged, and what it means. */
function errorBlock(e: JsonEndpoint): Html {
  if (e.error === null) return html``;
  const hint = errorHint(e.error.code);
  const protocol = e.error.protocol ? html` <span class="proto">${e.error.protocol}</span>` : '';
  const notTls = e.error.code === 'EOTHER_PROTOCOL';
  const title = notTls && e.verdict === 'not-tls' ? 'Not TLS: not judged (a failure with --require-tls)' : notTls ? 'Not TLS' : 'Could not be judged';
  return html`<div class="error-box"><h3>${title}</h3><p><code>${e.error.code}</code>${protocol} ${e.error.message}</p>${hint === null ? '' : html`<p class="hint">${hint}</p>`}</div>`;
}

/** The verdict explained: violations, error, inconclusive items, warnings; or why it passes. */
function why(e: JsonEndpoint, doc: JsonDocument): Html {
  const allowed =
    isSsh(e)
      ? html`Every key exchange, host-key, cipher and MAC algorithm the server offers is allowed by ${doc.policy.id}.`
      : html`Every protocol version, suite, group, certificate and feature that ${doc.policy.id} judges was found and allowed.`;
  const passed = e.verdict === 'pass' ? html`<p class="ok">${allowed}</p>` : html``;
  return html`<div class="why">${passed}${findings(plural(e.violations.length, 'violation'), 'violations', e.violations)}${errorBlock(e)}${findings(`${plural(e.inconclusive.length, 'item')} the scan could not settle`, 'inconclusive', e.inconclusive)}${findings(plural(e.warnings.length, 'warning'), 'warnings', e.warnings)}</div>`;
}

/** The evidence, folded for a passing endpoint. */
function evidence(e: JsonEndpoint, doc: JsonDocument): Html {
  if (!hasEvidence(e)) return html`<p class="muted">No evidence: the endpoint could not be scanned.</p>`;
  const open = e.verdict !== 'pass';
  return html`<details class="evidence"${open ? html` open` : ''}><summary><span class="label">Evidence</span> <span class="muted">${evidenceSummary(e)}</span></summary>${renderEvidence(e)}${renderCertificates(e, doc.startedAt)}</details>`;
}

/** The section of endpoint number `n` (1-based; its id is ep-n). */
export function renderEndpoint(e: JsonEndpoint, n: number, doc: JsonDocument): Html {
  return html`<section class="endpoint ${e.verdict}" id="ep-${n}" data-verdict="${e.verdict}" aria-labelledby="ep-${n}-t">
<header class="ep-head"><h2 id="ep-${n}-t"><span class="n">${n}</span> <span class="target">${redactSecrets(e.target)}</span></h2>${verdictBadge(e.verdict)}</header>
${meta(e)}
${why(e, doc)}
${evidence(e, doc)}
</section>`;
}
