/**
 * The terminal report: for each endpoint its protocols, cipher suites, groups, DH parameters,
 * certificate, features (an SSH endpoint: its algorithms per category) and verdict with every
 * violation, then a summary table across
 * endpoints. Written to be read in an 80-column terminal inside a pod: no line is wider than
 * `width`, colours are optional (and absent means no escape sequence at all), and server-provided
 * text is escaped so it cannot drive the terminal.
 */
import type { Verdict } from '../model/verdict.js';
import { boxed, boxedOverhead, fitWidths, widest, type Column } from './grid.js';
import type { EndpointReport, RunReport } from './model.js';
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

/** Target, verdict, violation count, probes and time of every endpoint. */
function summary(endpoints: readonly EndpointReport[], p: Paint, width: number): string[] {
  const rows = endpoints.map((e) => ({
    target: sanitize(e.result.target),
    verdict: e.evaluation.verdict,
    violations: String(e.evaluation.violations.length),
    probes: String(e.result.probes),
    ms: String(e.result.durationMs),
  }));
  const heads = ['target', 'verdict', 'violations', 'probes', 'ms'] as const;
  const wants = heads.map((h) => {
    const ideal = widest([h, ...rows.map((r) => (h === 'verdict' ? r.verdict.toUpperCase() : r[h]))]);
    return { ideal, min: h === 'target' ? Math.min(ideal, 12) : ideal };
  });
  const widths = fitWidths(wants, width - boxedOverhead(heads.length), [0]);
  const columns: Column[] = heads.map((head, i) => ({ head, width: widths[i]!, align: i >= 2 ? 'right' : 'left' }));
  const cells = rows.map((r) => [truncateMiddle(r.target, widths[0]!), verdictWord(r.verdict, p), r.violations, r.probes, r.ms]);
  const count = (v: Verdict) => rows.filter((r) => r.verdict === v).length;
  const notTls = count('not-tls') > 0 ? `, ${count('not-tls')} not TLS` : '';
  const totals = `${endpoints.length} endpoint${endpoints.length === 1 ? '' : 's'}: ${count('pass')} pass, ${count('fail')} fail, ${count('error')} error${notTls}`;
  return ['Summary', ...boxed(columns, cells), totals];
}

/** What the marks mean; `·` only when an SSH endpoint shows names no policy judges (markers, compression). */
function marks(run: RunReport, p: Paint): string[] {
  const legend = [`marks: ${p.green('✓')} allowed`, `${p.yellow('!')} allowed with a warning`, `${p.red('✗')} denied`, `${p.yellow('?')} not determined`];
  return run.endpoints.some((e) => e.result.ssh) ? [...legend, '· not judged'] : legend;
}

/** The run as text for a terminal `width` columns wide (default 80), ending with a newline. */
export function renderTable(run: RunReport, opts: TableOptions): string {
  const width = Math.max(MIN_WIDTH, opts.width ?? DEFAULT_WIDTH);
  const p = paint(opts.color);
  const ctx: SectionContext = { policy: run.policy, paint: p, width, droppedIanaNames: false };
  const body = run.endpoints.flatMap((e) => [...endpointSections(e, ctx), '']);
  const policy = run.policy;
  const endpoints = `${run.endpoints.length} endpoint${run.endpoints.length === 1 ? '' : 's'}`;
  const head = [
    ...wrap(`${sanitize(run.tool.name)} ${sanitize(run.tool.version)}, started ${sanitize(run.startedAt)}, ${endpoints}, ${run.durationMs} ms`, width, '', '  '),
    ...wrap(`policy ${sanitize(policy.id)} ${sanitize(policy.version)}: ${sanitize(policy.title)}`, width, '', '  '),
    ...flow(marks(run, p), width, '', '  '),
  ];
  if (ctx.droppedIanaNames) head.push(...wrap(`IANA suite names need more than ${width} columns; the JSON report has them.`, width, '', '  '));
  const workloads = run.workloads ? workloadSections(run.workloads, p, width) : [];
  const totals = run.workloads ? [workloadTotals(run.workloads)] : [];
  return [...head, '', ...body, ...workloads, ...summary(run.endpoints, p, width), ...totals].join('\n') + '\n';
}
