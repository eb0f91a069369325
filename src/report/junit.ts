/**
 * The JUnit XML report (--format junit), for CI systems that show test results: one testsuite
 * for the run, one testcase per endpoint (classname the policy id, name the target). A failing
 * endpoint's testcase carries a <failure> (message: the first violation; body: all of them), an
 * endpoint that could not be judged an <error>, a passing one nothing. Rendered from the
 * fipscan/v1 document, so `scan` and `merge` share it. The XML is well-formed whatever the
 * servers sent: text is escaped, and characters XML 1.0 cannot carry (and terminal controls)
 * are replaced by visible escapes (see sanitize.ts). A `scan --inspect-local` run adds a second
 * testsuite, one testcase per workload (failed ports and checks in <failure>, n/a <skipped>).
 * A fleet scan writes it one testcase at a time (renderJunitTestcase, then renderJunitFrame
 * around them, whose counts need every verdict); renderJunit is the same pieces joined.
 */
import type { Verdict } from '../model/verdict.js';
import { joinFrame, type ReportFrame } from './frame.js';
import type { JsonDocument, JsonEndpoint, JsonViolation, JsonWorkload } from './json.js';
import { sanitize } from './sanitize.js';

/** Besides what sanitize escapes: the two BMP noncharacters XML 1.0 excludes from Char. */
const NOT_XML_CHAR = /[\uFFFE\uFFFF]/g;

/** One line of text, safe for XML: no controls, no line breaks, markup characters escaped. */
function xmlText(s: string): string {
  return sanitize(s)
    .replace(NOT_XML_CHAR, (c) => `\\u${c.charCodeAt(0).toString(16)}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Seconds with millisecond precision, as JUnit's `time` attribute wants. */
function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** JUnit's timestamp: ISO 8601 without a zone (the XSD's xs:dateTime), in UTC. */
function junitTimestamp(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? xmlText(iso) : new Date(ms).toISOString().slice(0, 19);
}

function violationLine(v: JsonViolation): string {
  return `${v.rule}: ${v.message}`;
}

/** Lines as element content: each escaped, joined by newlines. */
function body(lines: readonly string[]): string {
  return lines.map(xmlText).join('\n');
}

function testcase(e: JsonEndpoint, classname: string): string[] {
  // An --inspect-local endpoint is named with its pod: two pods' 127.0.0.1:8443 are two cases.
  const name = e.pod === undefined ? e.target : `${e.pod} ${e.target}`;
  const open = `    <testcase classname="${xmlText(classname)}" name="${xmlText(name)}" time="${seconds(e.durationMs)}"`;
  const inner: string[] = [];
  if (e.verdict === 'error') {
    const code = e.error?.code ?? 'EUNKNOWN';
    const message = e.error?.message ?? 'the endpoint could not be judged';
    inner.push(`      <error message="${xmlText(message)}" type="${xmlText(code)}">${body([`${code}: ${message}`, ...e.violations.map(violationLine)])}</error>`);
  } else if (e.verdict === 'not-tls') {
    inner.push(`      <skipped message="${xmlText(`not TLS: the port answers in ${e.error?.protocol ?? 'another protocol'}`)}"/>`);
  } else if (e.verdict === 'fail') {
    const first = e.violations[0];
    const message = first?.message ?? 'the endpoint fails the policy';
    inner.push(`      <failure message="${xmlText(message)}" type="${xmlText(first?.rule ?? 'policy')}">${body(e.violations.map(violationLine))}</failure>`);
  }
  if (e.warnings.length > 0) inner.push(`      <system-out>${body(e.warnings.map((w) => `warning ${violationLine(w)}`))}</system-out>`);
  return inner.length === 0 ? [`${open}/>`] : [`${open}>`, ...inner, '    </testcase>'];
}

/** The name a workload goes by: its process, or its pid, or the uids of unseen owners. */
function workloadName(w: JsonWorkload): string {
  return w.process?.name ?? (w.pid === null ? 'sockets whose process is not visible' : `pid ${w.pid}`);
}

function workloadCase(w: JsonWorkload): string[] {
  const open = `    <testcase classname="workload" name="${xmlText(workloadName(w))}" time="0.000"`;
  const ports = w.endpoints.map((e) => `${e.target}: ${e.verdict === 'not-tls' ? `not TLS (${e.note ?? 'another protocol'})` : e.verdict}${e.verdict === 'error' && e.note ? ` (${e.note})` : ''}`);
  const failed = (w.process?.checks ?? []).filter((c) => c.status === 'fail').map((c) => `check ${c.id}: ${c.message}`);
  const lines = [...ports, ...failed, ...(w.error ? [w.error] : [])];
  let inner: string;
  if (w.verdict === 'pass') return [`${open}/>`];
  if (w.verdict === 'n/a') inner = '      <skipped message="no port speaks TLS"/>';
  else if (w.verdict === 'fail') {
    const first = w.endpoints.find((e) => e.verdict === 'fail');
    const message = first ? `${first.target} fails the policy` : (failed[0] ?? 'the workload fails');
    inner = `      <failure message="${xmlText(message)}" type="workload">${body(lines)}</failure>`;
  } else inner = `      <error message="${xmlText(w.error ?? 'the workload could not be judged completely')}" type="workload">${body(lines)}</error>`;
  return [`${open}>`, inner, '    </testcase>'];
}

function workloadSuite(workloads: readonly JsonWorkload[], timestamp: string): string[] {
  const n = (v: JsonWorkload['verdict']) => workloads.filter((w) => w.verdict === v).length;
  return [
    `  <testsuite name="fipscan workloads" tests="${workloads.length}" failures="${n('fail')}" errors="${n('error')}" time="0.000" skipped="${n('n/a')}" timestamp="${timestamp}">`,
    ...workloads.flatMap(workloadCase),
    '  </testsuite>',
  ];
}

/** A document's head as the JUnit report names it: what its suite's name and properties come from. */
export type JunitHead = Pick<JsonDocument, 'schema' | 'tool' | 'policy' | 'startedAt' | 'durationMs'>;

/**
 * The document around its endpoint testcases (frame.ts): the suite's counts from `verdicts`
 * (the endpoints', in any order), the workloads' suite after it. With renderJunitTestcase, what
 * a scan writes one endpoint at a time.
 */
export function renderJunitFrame(head: JunitHead, verdicts: readonly Verdict[], workloads?: readonly JsonWorkload[]): ReportFrame {
  const tally = (of: readonly string[], verdict: string): number => of.filter((v) => v === verdict).length;
  const theirs = (workloads ?? []).map((w) => w.verdict);
  const time = `time="${seconds(head.durationMs)}"`;
  const skipped = tally(verdicts, 'not-tls');
  const counts = `tests="${verdicts.length}" failures="${tally(verdicts, 'fail')}" errors="${tally(verdicts, 'error')}" ${time}`;
  const allCounts = `tests="${verdicts.length + theirs.length}" failures="${tally(verdicts, 'fail') + tally(theirs, 'fail')}" errors="${tally(verdicts, 'error') + tally(theirs, 'error')}" ${time}`;
  const properties: [string, string][] = [
    ['policy.id', head.policy.id],
    ['policy.version', head.policy.version],
    ['policy.title', head.policy.title],
    ['tool.version', head.tool.version],
    ['schema', head.schema],
  ];
  const before = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="fipscan" ${allCounts}>`,
    `  <testsuite name="${xmlText(`fipscan ${head.policy.id} ${head.policy.version}`)}" ${counts} skipped="${skipped}" timestamp="${junitTimestamp(head.startedAt)}">`,
    '    <properties>',
    ...properties.map(([name, value]) => `      <property name="${name}" value="${xmlText(value)}"/>`),
    '    </properties>',
  ];
  const after = ['  </testsuite>', ...(workloads ? workloadSuite(workloads, junitTimestamp(head.startedAt)) : []), '</testsuites>'];
  return { empty: `${[...before, ...after].join('\n')}\n`, open: `${before.join('\n')}\n`, separator: '\n', close: `\n${after.join('\n')}\n` };
}

/** One endpoint's <testcase> (its lines, without a final newline), `classname` the policy id. */
export function renderJunitTestcase(e: JsonEndpoint, classname: string): string {
  return testcase(e, classname).join('\n');
}

/** The run as a JUnit XML document (UTF-8, with a trailing newline). */
export function renderJunit(doc: JsonDocument): string {
  const frame = renderJunitFrame(doc, doc.endpoints.map((e) => e.verdict), doc.workloads);
  return joinFrame(frame, doc.endpoints.map((e) => renderJunitTestcase(e, doc.policy.id)));
}
