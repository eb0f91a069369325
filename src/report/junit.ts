/**
 * The JUnit XML report (--format junit), for CI systems that show test results: one testsuite
 * for the run, one testcase per endpoint (classname the policy id, name the target). A failing
 * endpoint's testcase carries a <failure> (message: the first violation; body: all of them), an
 * endpoint that could not be judged an <error>, a passing one nothing. Rendered from the
 * fipscan/v1 document, so `scan` and `merge` share it. The XML is well-formed whatever the
 * servers sent: text is escaped, and characters XML 1.0 cannot carry (and terminal controls)
 * are replaced by visible escapes (see sanitize.ts).
 */
import type { JsonDocument, JsonEndpoint, JsonViolation } from './json.js';
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
  const open = `    <testcase classname="${xmlText(classname)}" name="${xmlText(e.target)}" time="${seconds(e.durationMs)}"`;
  const inner: string[] = [];
  if (e.verdict === 'error') {
    const code = e.error?.code ?? 'EUNKNOWN';
    const message = e.error?.message ?? 'the endpoint could not be judged';
    inner.push(`      <error message="${xmlText(message)}" type="${xmlText(code)}">${body([`${code}: ${message}`, ...e.violations.map(violationLine)])}</error>`);
  } else if (e.verdict === 'fail') {
    const first = e.violations[0];
    const message = first?.message ?? 'the endpoint fails the policy';
    inner.push(`      <failure message="${xmlText(message)}" type="${xmlText(first?.rule ?? 'policy')}">${body(e.violations.map(violationLine))}</failure>`);
  }
  if (e.warnings.length > 0) inner.push(`      <system-out>${body(e.warnings.map((w) => `warning ${violationLine(w)}`))}</system-out>`);
  return inner.length === 0 ? [`${open}/>`] : [`${open}>`, ...inner, '    </testcase>'];
}

/** The run as a JUnit XML document (UTF-8, with a trailing newline). */
export function renderJunit(doc: JsonDocument): string {
  const tests = doc.endpoints.length;
  const failures = doc.endpoints.filter((e) => e.verdict === 'fail').length;
  const errors = doc.endpoints.filter((e) => e.verdict === 'error').length;
  const counts = `tests="${tests}" failures="${failures}" errors="${errors}" time="${seconds(doc.durationMs)}"`;
  const properties: [string, string][] = [
    ['policy.id', doc.policy.id],
    ['policy.version', doc.policy.version],
    ['policy.title', doc.policy.title],
    ['tool.version', doc.tool.version],
    ['schema', doc.schema],
  ];
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="fipscan" ${counts}>`,
    `  <testsuite name="${xmlText(`fipscan ${doc.policy.id} ${doc.policy.version}`)}" ${counts} skipped="0" timestamp="${junitTimestamp(doc.startedAt)}">`,
    '    <properties>',
    ...properties.map(([name, value]) => `      <property name="${name}" value="${xmlText(value)}"/>`),
    '    </properties>',
    ...doc.endpoints.flatMap((e) => testcase(e, doc.policy.id)),
    '  </testsuite>',
    '</testsuites>',
  ];
  return `${lines.join('\n')}\n`;
}
