/**
 * The auditor's report (`--format html`): one self-contained HTML page rendered from a
 * fipscan/v1 document, whether the scan just made it or `fipscan report` read it back from saved
 * (and merged) JSON reports. Inline CSS and script only, under a Content-Security-Policy that
 * allows nothing else (htmlAssets.ts); no URL of any kind, so the file opens the same anywhere,
 * offline, and sends nothing. Every string from a server or a file is text (htmlEscape.ts). Top
 * to bottom: the verdict summary and the run's facts, the endpoint list, one section per
 * endpoint (verdict, why, evidence), the workloads of an --inspect-local scan.
 */
import type { JsonDocument } from './json.js';
import { CONTENT_SECURITY_POLICY, SCRIPT, STYLE } from './htmlAssets.js';
import { renderEndpoint } from './htmlEndpoint.js';
import { html, raw } from './htmlEscape.js';
import { dateOf } from './htmlParts.js';
import { headline, renderTop, runVerdict } from './htmlSummary.js';
import { renderWorkloads } from './htmlWorkloads.js';

/** The document as one HTML page (UTF-8, with a trailing newline). Pure: the same document gives the same bytes. */
export function renderHtml(doc: JsonDocument): string {
  const title = `${runVerdict(doc).toUpperCase()}: ${headline(doc)} (${dateOf(doc.startedAt)}) · fipscan`;
  const page = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<meta name="generator" content="${doc.tool.name} ${doc.tool.version}">
<title>${title}</title>
<style>${raw(STYLE)}</style>
</head>
<body>
<main>
${renderTop(doc)}
<div id="endpoints">
${doc.endpoints.map((e, i) => html`${renderEndpoint(e, i + 1, doc)}\n`)}</div>
${renderWorkloads(doc)}
<footer>Rendered by ${doc.tool.name} ${doc.tool.version} from a ${doc.schema} report. Self-contained: this file loads nothing and sends nothing.</footer>
</main>
<script>${raw(SCRIPT)}</script>
</body>
</html>
`;
  return page.markup;
}
