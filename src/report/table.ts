/**
 * The terminal report: for each endpoint its protocols, cipher suites, groups, DH parameters,
 * certificate, features (an SSH endpoint: its algorithms per category) and verdict with every
 * violation, then a summary table across
 * endpoints. Written to be read in an 80-column terminal inside a pod: no line is wider than
 * `width`, colours are optional (and absent means no escape sequence at all), and server-provided
 * text is escaped so it cannot drive the terminal. A fleet scan writes it one endpoint at a time
 * (renderTableEntry, then renderTableFrame around the entries), keeping of each endpoint only its
 * summary row; renderTable is the same pieces joined.
 */
import type { Verdict } from '../model/verdict.js';
import type { Workload } from '../model/workload.js';
import type { Policy } from '../policy/types.js';
import { joinFrame, type ReportFrame } from './frame.js';
import { boxed, boxedOverhead, fitWidths, widest, type Column } from './grid.js';
import type { EndpointReport, RunHead, RunReport } from './model.js';
import { sanitize } from './sanitize.js';
import { flow, paint, truncateMiddle, wrap, type Paint } from './text.js';
import type { SectionContext } from './tableParts.js';
import { endpointSections } from './tableSections.js';
import { workloadSections, workloadTotals } from './workloadTable.js';

export interface TableOptions {
  /** ANSI colours (green/red/yellow). Without, the output holds no escape sequence. */
  color: boolean;
  /** Terminal columns; default 80. */
  width?: number;
}

const DEFAULT_WIDTH = 80;
/** Narrower than this and the tables cannot be laid out; lines would overflow anyway. */
const MIN_WIDTH = 60;

function verdictWord(verdict: Verdict, p: Paint): string {
  if (verdict === 'pass') return p.green('PASS');
  if (verdict === 'fail') return p.red('FAIL');
  if (verdict === 'not-tls') return 'NOT TLS';
  return p.yellow('ERROR');
}

/** What the summary table and the head need of an endpoint: kept per endpoint while the others are scanned. */
export interface SummaryRow {
  target: string;
  verdict: Verdict;
  violations: number;
  probes: number;
  ms: number;
  ssh: boolean;
}

/** An endpoint's summary row. */
export function summaryRow(e: EndpointReport): SummaryRow {
  const { result, evaluation } = e;
  return { target: result.target, verdict: evaluation.verdict, violations: evaluation.violations.length, probes: result.probes, ms: result.durationMs, ssh: Boolean(result.ssh) };
}

/** Target, verdict, violation count, probes and time of every endpoint. */
function summary(rows: readonly SummaryRow[], p: Paint, width: number): string[] {
  const texts = rows.map((r) => ({ target: sanitize(r.target), verdict: r.verdict, violations: String(r.violations), probes: String(r.probes), ms: String(r.ms) }));
  const heads = ['target', 'verdict', 'violations', 'probes', 'ms'] as const;
  const wants = heads.map((h) => {
    const ideal = widest([h, ...texts.map((r) => (h === 'verdict' ? r.verdict.toUpperCase() : r[h]))]);
    return { ideal, min: h === 'target' ? Math.min(ideal, 12) : ideal };
  });
  const widths = fitWidths(wants, width - boxedOverhead(heads.length), [0]);
  const columns: Column[] = heads.map((head, i) => ({ head, width: widths[i]!, align: i >= 2 ? 'right' : 'left' }));
  const cells = texts.map((r) => [truncateMiddle(r.target, widths[0]!), verdictWord(r.verdict, p), r.violations, r.probes, r.ms]);
  const count = (v: Verdict) => rows.filter((r) => r.verdict === v).length;
  const notTls = count('not-tls') > 0 ? `, ${count('not-tls')} not TLS` : '';
  const totals = `${rows.length} endpoint${rows.length === 1 ? '' : 's'}: ${count('pass')} pass, ${count('fail')} fail, ${count('error')} error${notTls}`;
  return ['Summary', ...boxed(columns, cells), totals];
}

/** What the marks mean; `·` only when an SSH endpoint shows names no policy judges (markers, compression). */
function marks(rows: readonly SummaryRow[], p: Paint): string[] {
  const legend = [`marks: ${p.green('✓')} allowed`, `${p.yellow('!')} allowed with a warning`, `${p.red('✗')} denied`, `${p.yellow('?')} not determined`];
  return rows.some((r) => r.ssh) ? [...legend, '· not judged'] : legend;
}

/** What rendering the endpoints of one table shares: the policy, colours, width, and what the head must tell. */
export function tableContext(policy: Policy, opts: TableOptions): SectionContext {
  return { policy, paint: paint(opts.color), width: Math.max(MIN_WIDTH, opts.width ?? DEFAULT_WIDTH), droppedIanaNames: false };
}

/** One endpoint's sections (without a final newline); notes in `ctx` what the head will have to say. */
export function renderTableEntry(e: EndpointReport, ctx: SectionContext): string {
  return [...endpointSections(e, ctx), ''].join('\n');
}

/**
 * The table around its endpoint entries (frame.ts): the head (counts, legend, a note when a
 * cipher table left out IANA names, so only once every entry was rendered with `ctx`), then the
 * workloads and the summary of `rows` (in input order).
 */
export function renderTableFrame(run: RunHead, rows: readonly SummaryRow[], ctx: SectionContext, workloads?: readonly Workload[]): ReportFrame {
  const { paint: p, width, policy } = ctx;
  const endpoints = `${rows.length} endpoint${rows.length === 1 ? '' : 's'}`;
  const head = [
    ...wrap(`${sanitize(run.tool.name)} ${sanitize(run.tool.version)}, started ${sanitize(run.startedAt)}, ${endpoints}, ${run.durationMs} ms`, width, '', '  '),
    ...wrap(`policy ${sanitize(policy.id)} ${sanitize(policy.version)}: ${sanitize(policy.title)}`, width, '', '  '),
    ...flow(marks(rows, p), width, '', '  '),
  ];
  if (ctx.droppedIanaNames) head.push(...wrap(`IANA suite names need more than ${width} columns; the JSON report has them.`, width, '', '  '));
  const tail = [...(workloads ? workloadSections(workloads, p, width) : []), ...summary(rows, p, width), ...(workloads ? [workloadTotals(workloads)] : [])];
  return { empty: `${[...head, '', ...tail].join('\n')}\n`, open: `${[...head, ''].join('\n')}\n`, separator: '\n', close: `\n${tail.join('\n')}\n` };
}

/** The run as text for a terminal `width` columns wide (default 80), ending with a newline. */
export function renderTable(run: RunReport, opts: TableOptions): string {
  const ctx = tableContext(run.policy, opts);
  // Entries first: rendering them tells the head whether IANA names were left out.
  const entries = run.endpoints.map((e) => renderTableEntry(e, ctx));
  return joinFrame(renderTableFrame(run, run.endpoints.map(summaryRow), ctx, run.workloads), entries);
}
