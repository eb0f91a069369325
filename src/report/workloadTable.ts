/**
 * The `scan --inspect-local` part of the terminal report: one section per workload (a process
 * of the pod and the ports it listens on), with its combined verdict, each port's verdict (or
 * the protocol a non-TLS port speaks), why anything could not be judged, then the process's
 * inspection (facts and checks with evidence) as `fipscan inspect` shows it.
 */
import type { Workload, WorkloadVerdict } from '../model/workload.js';
import { subjectSection } from './inspect.js';
import { sanitize } from './sanitize.js';
import { displayWidth, truncateMiddle, wrap, type Paint } from './text.js';

const INDENT = '  ';

function verdictWord(verdict: WorkloadVerdict | 'not-tls', p: Paint): string {
  if (verdict === 'pass') return p.green('PASS');
  if (verdict === 'fail') return p.red('FAIL');
  if (verdict === 'error') return p.yellow('ERROR');
  return verdict === 'n/a' ? 'N/A' : 'not TLS';
}

/** What the workload is called: its process, or the uids of sockets whose process is not visible. */
function workloadName(w: Workload): string {
  if (w.process) return w.process.name;
  if (w.pid !== null) return `pid ${w.pid}`;
  return `sockets of uid ${w.uids.join(', ')} (process not visible)`;
}

function section(w: Workload, p: Paint, width: number): string[] {
  const title = `── workload ${truncateMiddle(sanitize(workloadName(w)), width - 24)} `;
  const out = [`${title}${'─'.repeat(Math.max(1, width - displayWidth(title) - 7))} ${verdictWord(w.verdict, p)}`];
  for (const e of w.endpoints) {
    const what = e.verdict === 'not-tls' ? `not TLS (answers in ${sanitize(e.note ?? 'another protocol')}), not judged` : `${verdictWord(e.verdict, p)}${e.verdict === 'error' && e.note ? ` (${sanitize(e.note)})` : ''}`;
    out.push(...wrap(`${sanitize(e.target)}: ${what}`, width, INDENT, INDENT + '  '));
  }
  if (w.verdict === 'n/a') out.push(...wrap('no port speaks TLS: nothing here to judge (the process is shown below)', width, INDENT, INDENT));
  if (w.error) out.push(...wrap(`${p.yellow('ERROR')} ${sanitize(w.error)}`, width, INDENT, INDENT + '  '));
  if (w.process) out.push('', ...subjectSection(w.process, p, width - INDENT.length).map((l) => (l === '' ? l : INDENT + l)));
  return out;
}

/** The workload sections, each followed by a blank line. */
export function workloadSections(workloads: readonly Workload[], p: Paint, width: number): string[] {
  return workloads.flatMap((w) => [...section(w, p, width), '']);
}

/** `3 workloads: 1 pass, 1 fail, 0 error, 1 n/a (no TLS port)`. */
export function workloadTotals(workloads: readonly Workload[]): string {
  const count = (v: WorkloadVerdict) => workloads.filter((w) => w.verdict === v).length;
  return `${workloads.length} workload${workloads.length === 1 ? '' : 's'}: ${count('pass')} pass, ${count('fail')} fail, ${count('error')} error, ${count('n/a')} n/a (no TLS port)`;
}
