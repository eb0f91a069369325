/**
 * The HTML report's only resources, both inline: the style sheet and the script, and the
 * Content-Security-Policy that allows exactly these two (by their SHA-256) and nothing else: no
 * other script, no inline event handler, no style attribute, no image, font, frame or
 * connection, no <base>, no form target. So even markup that slipped past the escaping could
 * neither run nor fetch. The page is complete without the script: it only adds sorting,
 * filtering and unfolding, and unfolds every <details> before printing (CSS does the same
 * where the browser supports ::details-content).
 */
import { createHash } from 'node:crypto';

export const STYLE = `
:root{--ink:#1f2328;--muted:#59636e;--line:#d1d9e0;--soft:#f6f8fa;--card:#fff;--accent:#0969da;
--pass:#1a7f37;--pass-bg:#dafbe1;--fail:#cf222e;--fail-bg:#ffebe9;--error:#9a6700;--error-bg:#fff8c5;
--mono:ui-monospace,"SFMono-Regular","Cascadia Mono","DejaVu Sans Mono","Liberation Mono",Menlo,Consolas,monospace}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--soft);color:var(--ink);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Liberation Sans",Arial,sans-serif}
main{max-width:1160px;margin:0 auto;padding:28px 24px 48px}
h1,h2,h3,h4{line-height:1.25;margin:0}
h1{font-size:1.6rem;display:flex;flex-wrap:wrap;align-items:center;gap:12px}
h2{font-size:1.2rem}h3{font-size:1rem;margin:14px 0 6px}h4{font-size:.95rem;margin:18px 0 6px}
p{margin:6px 0}
a{color:var(--accent)}
code{font-family:var(--mono);font-size:.88em}
.muted{color:var(--muted)}.unknown{color:var(--error);font-style:italic}
.note{color:var(--muted);font-size:.9rem}
.note.decided{display:block;font-size:.8rem}
.top,.summary,.facts,.index,.endpoint,.workloads{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:18px 22px;margin:0 0 16px}
.top{border-left:8px solid var(--line)}
.top.pass{border-left-color:var(--pass)}.top.fail{border-left-color:var(--fail)}.top.error{border-left-color:var(--error)}.top.not-tls{border-left-color:var(--muted)}
.kicker{text-transform:uppercase;letter-spacing:.08em;font-size:.75rem;font-weight:600;color:var(--muted);margin:0 0 6px}
.lede{color:var(--muted);margin:8px 0 0}
.badge{display:inline-flex;align-items:center;gap:5px;padding:2px 10px;border-radius:999px;border:1px solid currentColor;font-size:.78rem;font-weight:700;letter-spacing:.05em;white-space:nowrap;vertical-align:middle}
.badge.pass{color:var(--pass);background:var(--pass-bg)}.badge.fail{color:var(--fail);background:var(--fail-bg)}.badge.error{color:var(--error);background:var(--error-bg)}.badge.na,.badge.not-tls{color:var(--muted);background:var(--soft)}
h1 .badge{font-size:1rem;padding:4px 14px}
.counts{display:flex;flex-wrap:wrap;gap:12px}
.count{flex:1 1 130px;display:flex;align-items:center;gap:10px;border:1px solid var(--line);border-radius:8px;padding:10px 14px}
.count .n{font-size:1.9rem;font-weight:700;font-variant-numeric:tabular-nums}
.count.pass .n{color:var(--pass)}.count.fail .n{color:var(--fail)}.count.error .n{color:var(--error)}.count.not-tls .n{color:var(--muted)}
.count.total{color:var(--muted)}.count.total .n{color:var(--ink)}
.count.zero .n{color:var(--muted)}.count.zero .badge{opacity:.55}
svg.bar{display:block;width:100%;height:12px;margin:14px 0 2px;border-radius:6px;background:var(--soft)}
.bar .pass{fill:var(--pass)}.bar .fail{fill:var(--fail)}.bar .error{fill:#d4a72c}.bar .not-tls{fill:var(--muted)}
dl{margin:0}
.facts dl,.kv{display:grid;grid-template-columns:minmax(120px,max-content) 1fr;gap:6px 18px}
dt{color:var(--muted);font-weight:600}dd{margin:0;min-width:0;overflow-wrap:anywhere}
.kv{font-size:.92rem}
code.cmd{display:block;white-space:pre-wrap;overflow-wrap:anywhere;background:var(--soft);border:1px solid var(--line);border-radius:6px;padding:6px 10px}
code.hash{overflow-wrap:anywhere;word-break:break-all}
.scroll{overflow-x:auto;margin:8px 0}
table{border-collapse:collapse;width:100%;font-size:.9rem}
caption{text-align:left;font-weight:600;padding:4px 0 6px;caption-side:top}
th,td{text-align:left;padding:6px 10px;border-bottom:1px solid var(--line);vertical-align:top}
thead th{background:var(--soft);font-size:.78rem;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);white-space:nowrap}
tbody th{font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.target{overflow-wrap:anywhere;min-width:12em}
td.name{font-family:var(--mono);font-size:.82rem;overflow-wrap:anywhere}
td.name .alias{display:block;color:var(--muted);font-size:.76rem}
tr.unsettled td{color:var(--muted);font-style:italic}
table.ssh th:first-child{width:3em}table.ssh th:last-child{width:13em}
.list tbody tr:hover{background:var(--soft)}
.mark{white-space:nowrap}.mark.allowed{color:var(--pass)}.mark.denied{color:var(--fail);font-weight:600}.mark.warned,.mark.unknown{color:var(--error);font-weight:600}.mark.neutral{color:var(--muted)}
.flag{color:var(--error);font-weight:600}
.controls{display:flex;flex-wrap:wrap;align-items:center;gap:8px;margin:10px 0}
.controls button{font:inherit;font-size:.85rem;padding:3px 12px;border-radius:999px;border:1px solid var(--line);background:var(--card);color:var(--ink);cursor:pointer}
.controls button[aria-pressed=true]{background:var(--ink);color:#fff;border-color:var(--ink)}
.controls .hint{color:var(--muted);font-size:.85rem}
th button.sort{font:inherit;color:inherit;text-transform:inherit;letter-spacing:inherit;background:none;border:0;padding:0;cursor:pointer}
th[aria-sort=ascending] button.sort::after{content:" \\25B2"}th[aria-sort=descending] button.sort::after{content:" \\25BC"}
.endpoint{border-left:8px solid var(--line)}
.endpoint.pass{border-left-color:var(--pass)}.endpoint.fail{border-left-color:var(--fail)}.endpoint.error{border-left-color:var(--error)}.endpoint.not-tls{border-left-color:var(--muted)}
.ep-head{display:flex;justify-content:space-between;align-items:flex-start;gap:12px}
.ep-head h2,.ep-head h3{overflow-wrap:anywhere;min-width:0}
.ep-head .n{color:var(--muted);font-weight:400;margin-right:4px}
.meta{color:var(--muted);font-size:.88rem}.meta strong{color:var(--ink);font-weight:600;overflow-wrap:anywhere}
.why{margin:10px 0;overflow-wrap:anywhere}
.ok{color:var(--pass);font-weight:600}
.findings ol{margin:0;padding:0 0 0 1.6em}
.findings li{margin:4px 0;padding-left:4px}
.findings li p{margin:0}
.findings.violations h3{color:var(--fail)}.findings.inconclusive h3,.findings.warnings h3{color:var(--error)}
.findings.violations li::marker{color:var(--fail);font-weight:700}
.rule,.proto{display:inline-block;font-family:var(--mono);font-size:.75rem;padding:0 6px;border-radius:4px;background:var(--soft);border:1px solid var(--line);color:var(--muted);margin-right:2px}
.source{font-size:.85rem;color:var(--muted);margin:2px 0 0}
.error-box{background:var(--error-bg);border:1px solid #e7d38a;border-radius:8px;padding:10px 14px;margin:10px 0;overflow-wrap:anywhere}
.error-box h3{margin:0 0 4px;color:var(--error)}
.hint{color:var(--muted);font-style:italic}
details.evidence{margin-top:12px;border-top:1px solid var(--line);padding-top:8px}
details.evidence>summary{cursor:pointer;padding:4px 0}
details.evidence>summary .label{font-weight:700}
.certs{display:grid;gap:10px}
.cert{border:1px solid var(--line);border-radius:8px;padding:8px 14px;background:#fcfcfd}
.cert-role{font-size:.75rem;text-transform:uppercase;letter-spacing:.06em;color:var(--muted);margin:0 0 6px;font-weight:600}
.item{display:inline-block;font-family:var(--mono);font-size:.8rem;background:var(--soft);border:1px solid var(--line);border-radius:4px;padding:0 6px;margin:1px 4px 1px 0;overflow-wrap:anywhere}
.workload{border-top:1px solid var(--line);padding-top:10px;margin-top:12px}
.evidence-list{margin:4px 0 0;padding-left:1.2em;font-size:.85rem}
footer{color:var(--muted);font-size:.82rem;text-align:center;margin-top:24px}
@media (max-width:640px){
body{font-size:14px}main{padding:12px 10px 32px}
.top,.summary,.facts,.index,.endpoint,.workloads{padding:14px;border-radius:8px}
h1{font-size:1.3rem}
.facts dl,.kv{grid-template-columns:1fr;gap:0}
dd{margin-bottom:8px}
.count{flex-basis:40%}
.ep-head{flex-direction:column;gap:6px}
th,td{padding:5px 6px}
.list .opt{display:none}
}
@media print{
@page{margin:14mm}
body{background:#fff;font-size:10pt}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
main{max-width:none;padding:0}
.controls{display:none!important}
.top,.summary,.facts,.index,.endpoint,.workloads{border-radius:0;margin:0 0 10px;break-inside:auto}
.endpoint,.workloads{break-before:page}
tr,.cert,.findings li,.error-box,.count,dl.kv>*{break-inside:avoid}
table.grid{break-inside:avoid}
thead{display:table-header-group}
h2,h3,h4,caption,summary{break-after:avoid}
details::details-content{content-visibility:visible;display:block}
details>summary{list-style:none}
.scroll{overflow:visible}
a{color:inherit;text-decoration:none}
}
`;

export const SCRIPT = `
(function () {
  'use strict';
  var d = document;
  d.documentElement.setAttribute('data-js', 'on');
  var each = function (list, f) { Array.prototype.forEach.call(list, f); };
  var opened = [];
  window.addEventListener('beforeprint', function () {
    each(d.querySelectorAll('details:not([open])'), function (x) { x.open = true; opened.push(x); });
  });
  window.addEventListener('afterprint', function () {
    opened.forEach(function (x) { x.open = false; });
    opened = [];
  });
  var controls = d.querySelector('.controls');
  var table = d.querySelector('table.list');
  var list = d.getElementById('endpoints');
  if (!controls || !table || !list) return;
  controls.hidden = false;
  var body = table.tBodies[0];
  var sectionOf = function (row) {
    var a = row.querySelector('a[href^="#ep-"]');
    return a ? d.getElementById(a.getAttribute('href').slice(1)) : null;
  };
  var filters = controls.querySelectorAll('button[data-filter]');
  each(filters, function (button) {
    button.addEventListener('click', function () {
      var verdict = button.getAttribute('data-filter');
      each(filters, function (x) { x.setAttribute('aria-pressed', String(x === button)); });
      each(body.rows, function (row) {
        var shown = verdict === 'all' || row.getAttribute('data-verdict') === verdict;
        row.hidden = !shown;
        var section = sectionOf(row);
        if (section) section.hidden = !shown;
      });
    });
  });
  var heads = table.tHead.rows[0].cells;
  each(heads, function (th, column) {
    var kind = th.getAttribute('data-sort');
    if (!kind) return;
    var button = d.createElement('button');
    button.type = 'button';
    button.className = 'sort';
    while (th.firstChild) button.appendChild(th.firstChild);
    th.appendChild(button);
    var key = function (row) {
      var cell = row.cells[column];
      var v = cell.getAttribute('data-v');
      return kind === 'num' ? Number(v !== null ? v : cell.textContent) : cell.textContent.trim().toLowerCase();
    };
    button.addEventListener('click', function () {
      var direction = th.getAttribute('aria-sort') === 'ascending' ? -1 : 1;
      each(heads, function (x) { x.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', direction === 1 ? 'ascending' : 'descending');
      var rows = Array.prototype.slice.call(body.rows);
      var position = function (row) { return Number(row.cells[0].getAttribute('data-v')); };
      rows.sort(function (a, b) {
        var x = key(a), y = key(b);
        var c = kind === 'num' ? x - y : x.localeCompare(y);
        return direction * c || position(a) - position(b);
      });
      rows.forEach(function (row) {
        body.appendChild(row);
        var section = sectionOf(row);
        if (section) list.appendChild(section);
      });
    });
  });
  var expand = controls.querySelector('button[data-action=expand]');
  if (expand) {
    expand.addEventListener('click', function () {
      var open = expand.getAttribute('aria-pressed') !== 'true';
      expand.setAttribute('aria-pressed', String(open));
      each(d.querySelectorAll('details.evidence'), function (x) { x.open = open; });
    });
  }
})();
`;

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

/** The policy of the page: only the inline style sheet and script above, nothing loaded, nothing sent. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src ${sha256(STYLE)}`,
  `script-src ${sha256(SCRIPT)}`,
  "img-src 'none'",
  "font-src 'none'",
  "connect-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');
