/**
 * `fipscan diff` output: plain text for a terminal or a CI log (no line wider than `width`,
 * default 80; server-provided text escaped; + added, - removed, ? inconclusive), or the diff as
 * one JSON document (`fipscan-diff/v1`, described in the README).
 */
import type { Verdict } from '../model/verdict.js';
import type { DiffItem, EndpointDiff, ReportDiff } from './diff.js';
import type { SshAlgorithmChanges } from './diffSsh.js';
import { stringify } from './json.js';
import { sanitize } from './sanitize.js';
import { truncateMiddle, wrap } from './text.js';

export interface DiffTextOptions {
  /** What to call the two reports (their file names). */
  beforeName: string;
  afterName: string;
  /** Terminal columns; default 80 (at least 40). */
  width?: number;
}

function word(v: Verdict | null): string {
  return v === null ? 'absent' : v.toUpperCase();
}

function item(x: DiffItem): string {
  return x.name === null ? x.id : `${sanitize(x.name)} (${x.id})`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

function headline(d: EndpointDiff, width: number): string {
  const state =
    d.change === 'appeared' ? `appeared, ${word(d.verdict.after)}`
    : d.change === 'vanished' ? `vanished (was ${word(d.verdict.before)})`
    : d.verdict.before === d.verdict.after ? word(d.verdict.after)
    : `${word(d.verdict.before)} -> ${word(d.verdict.after)}`;
  const mark = d.newlyViolating ? '! ' : '';
  const room = width - mark.length - state.length - 2;
  return `${mark}${truncateMiddle(sanitize(d.target), Math.max(8, room))}  ${state}`;
}

const SSH_CATEGORY_WORDS: Readonly<Record<SshAlgorithmChanges['category'], string>> = {
  kex: 'SSH key exchange',
  hostKey: 'SSH host keys',
  cipher: 'SSH ciphers',
  mac: 'SSH MACs',
  compression: 'SSH compression',
};

const DIRECTION_WORDS = { clientToServer: ', client to server', serverToClient: ', server to client' } as const;

/** A category's SSH names added (+) and removed (-), under its title. */
function sshLines(c: SshAlgorithmChanges, width: number): string[] {
  const title = `  ${SSH_CATEGORY_WORDS[c.category]}${c.direction === null ? '' : DIRECTION_WORDS[c.direction]}`;
  const names = (sign: string, list: readonly string[]) => list.flatMap((name) => wrap(sanitize(name), width, `    ${sign} `, '      '));
  return [title, ...names('+', c.added), ...names('-', c.removed)];
}

function endpointLines(d: EndpointDiff, width: number): string[] {
  const lines = [headline(d, width)];
  const add = (text: string, first: string, rest: string) => lines.push(...wrap(text, width, first, rest));
  if (d.service !== null) add(`now answers in ${d.service.after.toUpperCase()}, was ${d.service.before.toUpperCase()}`, '  ', '    ');
  for (const p of d.protocols.offered) add(`${p} offered`, '  + ', '    ');
  for (const p of d.protocols.withdrawn) add(`${p} withdrawn`, '  - ', '    ');
  for (const p of d.protocols.inconclusive) add(`${p} now inconclusive`, '  ? ', '    ');
  for (const s of d.suites) {
    lines.push(`  ${s.protocol} suites`);
    for (const x of s.added) add(item(x), '    + ', '      ');
    for (const x of s.removed) add(item(x), '    - ', '      ');
  }
  if (d.groups.added.length + d.groups.removed.length > 0) {
    lines.push('  groups');
    for (const x of d.groups.added) add(item(x), '    + ', '      ');
    for (const x of d.groups.removed) add(item(x), '    - ', '      ');
  }
  lines.push(...d.sshAlgorithms.flatMap((c) => sshLines(c, width)));
  if (d.error !== null && d.verdict.after === 'error') add(`${d.error.code}: ${sanitize(d.error.message)}`, '  error ', '    ');
  if (d.change === 'changed' && !d.compared) add('findings not compared: one of the scans could not reach the endpoint', '  ', '  ');
  if (d.newViolations.length > 0) {
    lines.push('  new violations');
    for (const v of d.newViolations) add(`${sanitize(v.rule)}: ${sanitize(v.message)}`, '    + ', '      ');
  }
  if (d.resolvedViolations.length > 0) {
    lines.push('  resolved violations');
    for (const v of d.resolvedViolations) add(`${sanitize(v.rule)}: ${sanitize(v.message)}`, '    - ', '      ');
  }
  return lines;
}

/** The diff as text, ending with a newline. */
export function renderDiffText(diff: ReportDiff, opts: DiffTextOptions): string {
  const width = Math.max(40, opts.width ?? 80);
  const { before, after, summary: s } = diff;
  const policy = (p: ReportDiff['before']['policy']) => `${sanitize(p.id)} ${sanitize(p.version)}`;
  const samePolicy = before.policy.id === after.policy.id && before.policy.version === after.policy.version;
  const head = [
    ...wrap(`before: ${sanitize(opts.beforeName)}, started ${sanitize(before.startedAt)}`, width, '', '  '),
    ...wrap(`after: ${sanitize(opts.afterName)}, started ${sanitize(after.startedAt)}`, width, '', '  '),
    ...wrap(samePolicy ? `policy ${policy(after.policy)}` : `policy changed: ${policy(before.policy)} -> ${policy(after.policy)}`, width, '', '  '),
  ];
  const body = diff.endpoints.flatMap((d) => ['', ...endpointLines(d, width)]);
  const newlyViolating = diff.endpoints.filter((d) => d.newlyViolating).length;
  const totals = [
    `${s.changed} changed, ${s.appeared} appeared, ${s.vanished} vanished, ${s.unchanged} unchanged;`,
    `${plural(s.newViolations, 'new violation')}, ${s.resolvedViolations} resolved`,
  ].join(' ');
  const verdict = newlyViolating > 0 ? `newly violating the policy: ${plural(newlyViolating, 'endpoint')} (marked !)` : 'nothing newly violates the policy';
  return [...head, ...body, '', ...wrap(totals, width, '', '  '), verdict].join('\n') + '\n';
}

/** The diff as a fipscan-diff/v1 JSON document, 2-space indented, with a trailing newline. */
export function renderDiffJson(diff: ReportDiff): string {
  return `${stringify(diff, 2)}\n`;
}
