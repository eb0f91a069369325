/**
 * The pieces every endpoint of the terminal report is built from, TLS or SSH: what a section
 * needs to know, the indents, the policy marks, the endpoint's title rule with where it was
 * reached, the verdict with every violation, warning and unproven item, and a labelled run of
 * marked names that wraps under its first item (the Groups section's shape, which SSH's
 * sections share).
 */
import type { Disposition, Policy } from '../policy/types.js';
import type { ScanResult } from '../model/scan.js';
import type { Violation } from '../model/verdict.js';
import type { EndpointReport } from './model.js';
import { sanitize } from './sanitize.js';
import { displayWidth, flow, padEnd, truncateMiddle, wrap, type Paint } from './text.js';

/** What every section needs to know. */
export interface SectionContext {
  policy: Policy;
  paint: Paint;
  width: number;
  /** Set when a cipher table had to leave out the IANA name column. */
  droppedIanaNames: boolean;
}

/** Indent of a section's title, and of its body. */
export const SECTION = '  ';
export const BODY = '    ';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** ✓ allowed, ! allowed with a warning, ✗ denied, ? not determined, · not judged (an SSH marker, compression). */
export function mark(kind: Disposition | 'unknown' | 'not-judged', paint: Paint): string {
  switch (kind) {
    case 'allow':
      return paint.green('✓');
    case 'warn':
      return paint.yellow('!');
    case 'deny':
      return paint.red('✗');
    case 'unknown':
      return paint.yellow('?');
    case 'not-judged':
      return '·';
  }
}

/** What the header names besides the address: a TLS endpoint's server name, an SSH server's identification line. */
function serverItem(result: ScanResult, width: number): string {
  if (result.service !== 'ssh') return `SNI ${result.sni === null ? 'none' : truncateMiddle(sanitize(result.sni), width - 6)}`;
  return result.ssh ? truncateMiddle(sanitize(result.ssh.identification), width - 2) : 'SSH, no identification read';
}

/** The endpoint's title rule and where it was reached. */
export function header(result: ScanResult, ctx: SectionContext): string[] {
  const target = truncateMiddle(sanitize(result.target), ctx.width - 5);
  const title = `── ${target} `;
  const items = [
    ...(result.pod === undefined ? [] : [`pod ${sanitize(result.pod)}`]),
    `address ${result.address === null ? 'none' : sanitize(result.address)}`,
    serverItem(result, ctx.width),
    plural(result.probes, 'probe'),
    `${result.durationMs} ms`,
  ];
  return [title + '─'.repeat(Math.max(0, ctx.width - displayWidth(title))), ...flow(items, ctx.width, SECTION, '   ')];
}

/**
 * Marked items flowed after a label (`TLSv1.2  `, `client→server  `), continuation lines under
 * the first item; without a label, flowed at the body indent.
 */
export function labelledFlow(label: string, labelWidth: number, items: readonly string[], width: number): string[] {
  const lead = `${BODY}${padEnd(label, labelWidth)}`;
  const indent = ' '.repeat(displayWidth(lead));
  return flow(items, width, indent, '  ').map((l, i) => (i === 0 ? lead + l.slice(indent.length) : l));
}

/**
 * PASS / FAIL / ERROR (code: message) with the counts, then every violation (✗), warning (!)
 * and thing the scan could not prove (?) as a bullet.
 */
export function verdict(endpoint: EndpointReport, ctx: SectionContext): string[] {
  const { evaluation, result } = endpoint;
  const counts = [
    evaluation.violations.length > 0 ? plural(evaluation.violations.length, 'violation') : '',
    evaluation.warnings.length > 0 ? plural(evaluation.warnings.length, 'warning') : '',
    evaluation.inconclusive.length > 0 ? `${evaluation.inconclusive.length} not determined` : '',
  ]
    .filter((c) => c !== '')
    .join(', ');
  let lines: string[];
  if (evaluation.verdict === 'not-tls') {
    const text = `NOT TLS: answers in ${sanitize(result.error?.protocol ?? 'another protocol')} in plaintext; not judged (--require-tls fails it)`;
    lines = wrap(text, ctx.width, SECTION, `${SECTION}  `);
  } else if (evaluation.verdict === 'error') {
    const error = evaluation.error ?? result.error;
    const text = error === null ? 'ERROR' : `ERROR (${sanitize(error.code)}: ${sanitize(error.message)})`;
    const word = `${SECTION}ERROR`;
    lines = wrap(text, ctx.width, SECTION, `${SECTION}  `).map((l, i) => (i === 0 ? SECTION + ctx.paint.yellow('ERROR') + l.slice(word.length) : l));
  } else {
    const word = evaluation.verdict === 'pass' ? ctx.paint.green('PASS') : ctx.paint.red('FAIL');
    lines = [`${SECTION}${word}${counts === '' ? '' : `  ${counts}`}`];
  }
  const bullet = (kind: Disposition | 'unknown') => (v: Violation) =>
    wrap(sanitize(v.message), ctx.width, `${BODY}${mark(kind, ctx.paint)} `, `${BODY}  `);
  return [
    ...lines,
    ...evaluation.violations.flatMap(bullet('deny')),
    ...evaluation.warnings.flatMap(bullet('warn')),
    ...evaluation.inconclusive.flatMap(bullet('unknown')),
  ];
}
