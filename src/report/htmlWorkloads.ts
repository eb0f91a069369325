/**
 * The workloads of a `scan --inspect-local` report in the HTML page: each process of the pod
 * with its listening ports (linked to their endpoint sections when judged) and the checks of its
 * crypto module, each with its evidence. Process names, paths and evidence come from the pod's
 * files: text, like everything a server sent.
 */
import type { JsonDocument, JsonWorkload } from './json.js';
import { html, type Html } from './htmlEscape.js';
import { mark, verdictBadge, type Mark } from './htmlParts.js';
import type { JsonInspectCheck } from './subjectJson.js';

// 'info' is a host check's note (inspect's entropy source); a workload's process checks never carry it.
const CHECK_MARK: Readonly<Record<JsonInspectCheck['status'], Mark>> = { ok: 'allowed', fail: 'denied', 'n/a': 'unknown', info: 'unknown' };

function workloadBadge(w: JsonWorkload): Html {
  return w.verdict === 'n/a' ? html`<span class="badge na">N/A</span>` : verdictBadge(w.verdict);
}

function ports(w: JsonWorkload, doc: JsonDocument): Html {
  const rows = w.endpoints.map((p) => {
    const n = doc.endpoints.findIndex((e) => e.target === p.target);
    const target = n < 0 ? html`${p.target}` : html`<a href="#ep-${n + 1}">${p.target}</a>`;
    const verdict = p.verdict === 'not-tls' ? html`<span class="muted">not TLS</span>` : verdictBadge(p.verdict);
    return html`<tr><td class="target">${target}</td><td>${verdict}</td><td>${p.note ?? ''}</td></tr>`;
  });
  return html`<div class="scroll"><table class="grid"><caption>Listening ports</caption><thead><tr><th scope="col">port</th><th scope="col">verdict</th><th scope="col">note</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

function checks(w: JsonWorkload): Html {
  const p = w.process;
  if (p === null) return html``;
  const rows = p.checks.map(
    (c) =>
      html`<tr><td><code>${c.id}</code></td><td>${mark(CHECK_MARK[c.status], c.status.toUpperCase())}</td><td>${c.message}${c.evidence.length > 0 ? html`<ul class="evidence-list">${c.evidence.map((e) => html`<li><span class="muted">${e.source}</span> ${e.detail}</li>`)}</ul>` : ''}</td></tr>`,
  );
  const error = p.error === null ? html`` : html`<p><code>${p.error.code}</code> ${p.error.message}</p>`;
  return html`${error}<div class="scroll"><table class="grid"><caption>Checks of ${p.name}</caption><thead><tr><th scope="col">check</th><th scope="col">result</th><th scope="col">evidence</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

/** The workloads section; nothing for a report without workloads. */
export function renderWorkloads(doc: JsonDocument): Html {
  const workloads = doc.workloads ?? [];
  if (workloads.length === 0) return html``;
  const sections = workloads.map(
    (w) => html`<div class="workload ${w.verdict === 'n/a' ? 'na' : w.verdict}"><header class="ep-head"><h3>${w.pid === null ? 'process not visible' : `pid ${w.pid}`}${w.process ? html` <span class="target">${w.process.path ?? w.process.name}</span>` : ''}</h3>${workloadBadge(w)}</header>${w.error === null ? '' : html`<p class="error-box">${w.error}</p>`}${ports(w, doc)}${checks(w)}</div>`,
  );
  return html`<section class="workloads" id="workloads" aria-labelledby="workloads-title"><h2 id="workloads-title">Workloads</h2><p class="note">Each process of the pod with its listening ports, judged on its TLS ports and on the crypto module it runs.</p>${sections}</section>`;
}
