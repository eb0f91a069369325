/**
 * The `fipscan inspect` report: a terminal table (per subject its facts, then each check with
 * its status, message and evidence, then a summary across subjects) and the
 * `fipscan-inspect/v1` JSON document. Kept apart from the scan report's files. Pure; every
 * string that comes from the inspected system (paths, symbol names, configuration lines,
 * strings found in binaries) goes through `sanitize` before it reaches a terminal.
 */
import Table from 'cli-table3';
import { subjectVerdict, type Check, type CheckStatus, type InspectRun, type Subject, type SubjectVerdict } from '../model/inspect.js';
import { sanitize } from './sanitize.js';
import { toJsonSubject, type JsonInspectSubject } from './subjectJson.js';
import { displayWidth, paint, truncateMiddle, wrap, type Paint } from './text.js';

const INSPECT_SCHEMA_ID = 'fipscan-inspect/v1';

export interface InspectTableOptions {
  color: boolean;
  /** Terminal columns; default 80, at least 60. */
  width?: number;
}

export interface JsonInspectDocument {
  schema: typeof INSPECT_SCHEMA_ID;
  tool: { name: string; version: string };
  startedAt: string;
  durationMs: number;
  summary: { subjects: number; pass: number; fail: number; error: number };
  subjects: JsonInspectSubject[];
}

/** The run as a `fipscan-inspect/v1` document. */
export function toInspectJson(run: InspectRun): JsonInspectDocument {
  const subjects = run.subjects.map(toJsonSubject);
  const count = (v: SubjectVerdict) => subjects.filter((s) => s.verdict === v).length;
  return {
    schema: INSPECT_SCHEMA_ID, tool: run.tool, startedAt: run.startedAt, durationMs: run.durationMs,
    summary: { subjects: subjects.length, pass: count('pass'), fail: count('fail'), error: count('error') },
    subjects,
  };
}

/** The JSON document, two-space indented, with a trailing newline. */
export function renderInspectJson(run: InspectRun): string {
  return `${JSON.stringify(toInspectJson(run), null, 2)}\n`;
}

const STATUS_WIDTH = 4;
const GAP = '  ';
const INDENT = '  ';

function statusWord(status: CheckStatus, p: Paint): string {
  return status === 'ok' ? p.green('OK') : status === 'fail' ? p.red('FAIL') : status === 'info' ? p.yellow('INFO') : 'N/A';
}

function verdictWord(verdict: SubjectVerdict, p: Paint): string {
  return verdict === 'pass' ? p.green('PASS') : verdict === 'fail' ? p.red('FAIL') : p.yellow('ERROR');
}

/** Lines of a borderless cli-table3 grid whose cells arrive already wrapped to their widths. */
function grid(widths: readonly number[], rows: readonly (readonly string[])[]): string[] {
  const table = new Table({
    colWidths: [...widths],
    wordWrap: false,
    chars: {
      top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
      left: INDENT, 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: GAP,
    },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0, compact: true },
  });
  for (const row of rows) table.push([...row]);
  return table.toString().split('\n').map((l) => l.trimEnd());
}

function checkRows(checks: readonly Check[], p: Paint, width: number): string[] {
  const idWidth = Math.min(28, Math.max(...checks.map((c) => displayWidth(c.id)), 5));
  const detailWidth = Math.max(20, width - INDENT.length - STATUS_WIDTH - idWidth - 2 * GAP.length);
  const rows = checks.map((c) => {
    const lines = [
      ...wrap(sanitize(c.message), detailWidth, '', ''),
      ...c.evidence.flatMap((e) => wrap(`${sanitize(e.source)}: ${sanitize(e.detail)}`, detailWidth, '· ', '  ')),
    ];
    return [statusWord(c.status, p), truncateMiddle(c.id, idWidth), lines.join('\n')];
  });
  return grid([STATUS_WIDTH, idWidth, detailWidth], rows);
}

/** One subject's lines: name and verdict, facts, error, then its checks with their evidence. */
export function subjectSection(s: Subject, p: Paint, width: number): string[] {
  const out = wrap(`${sanitize(s.name)}  ${verdictWord(subjectVerdict(s), p)}`, width, '', INDENT);
  for (const f of s.facts) out.push(...wrap(`${sanitize(f.name)}: ${sanitize(f.value)}`, width, INDENT, INDENT + '  '));
  if (s.error) out.push(...wrap(`${p.yellow('ERROR')} ${sanitize(s.error.code)}: ${sanitize(s.error.message)}`, width, INDENT, INDENT + '  '));
  if (s.checks.length > 0) out.push(...checkRows(s.checks, p, width));
  return out;
}

function summary(subjects: readonly Subject[], p: Paint, width: number): string[] {
  const heads = ['subject', 'verdict', 'ok', 'fail', 'n/a', 'info'];
  const rows = subjects.map((s) => {
    const n = (status: CheckStatus) => String(s.checks.filter((c) => c.status === status).length);
    return [sanitize(s.name), subjectVerdict(s), n('ok'), n('fail'), n('n/a'), n('info')];
  });
  const fixed = [7, 4, 4, 3, 4].map((w, i) => Math.max(w, ...rows.map((r) => displayWidth(r[i + 1]!))));
  // Box borders and one space of padding each side take 3 columns per cell plus one.
  const nameWidth = Math.max(12, Math.min(Math.max(7, ...rows.map((r) => displayWidth(r[0]!))), width - fixed.reduce((a, b) => a + b, 0) - 3 * heads.length - 1));
  const table = new Table({
    head: heads,
    colWidths: [nameWidth + 2, ...fixed.map((w) => w + 2)],
    colAligns: ['left', 'left', 'right', 'right', 'right', 'right'],
    style: { head: [], border: [], 'padding-left': 1, 'padding-right': 1, compact: true },
  });
  for (const r of rows) table.push([truncateMiddle(r[0]!, nameWidth), verdictWord(r[1] as SubjectVerdict, p), r[2]!, r[3]!, r[4]!, r[5]!]);
  const count = (v: SubjectVerdict) => subjects.filter((s) => subjectVerdict(s) === v).length;
  const totals = `${subjects.length} subject${subjects.length === 1 ? '' : 's'}: ${count('pass')} pass, ${count('fail')} fail, ${count('error')} error`;
  return ['Summary', ...table.toString().split('\n').map((l) => l.trimEnd()), totals];
}

/** The run as text for a terminal `width` columns wide (default 80), ending with a newline. */
export function renderInspectTable(run: InspectRun, options: InspectTableOptions): string {
  const width = Math.max(60, options.width ?? 80);
  const p = paint(options.color);
  const head = wrap(`${sanitize(run.tool.name)} ${sanitize(run.tool.version)} inspect, started ${sanitize(run.startedAt)}, ${run.subjects.length} subject${run.subjects.length === 1 ? '' : 's'}, ${run.durationMs} ms`, width, '', INDENT);
  const body = run.subjects.flatMap((s) => [...subjectSection(s, p, width), '']);
  return [...head, '', ...body, ...summary(run.subjects, p, width)].join('\n') + '\n';
}
