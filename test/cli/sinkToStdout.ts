/**
 * Child process of report-sink-streamed.test.ts: writes one run of sinkRuns.ts through the report
 * sink to stdout (a pipe to the test), endpoints added out of order.
 *
 *   node dist/test/cli/sinkToStdout.js <json|junit|table> <run name>
 */
import { reportSink } from '../../src/cli/reportSink.js';
import type { RunReport } from '../../src/report/index.js';
import { feed, sinkOptions, sinkRuns, STREAMED_FORMATS, type SinkRunName, type StreamedFormat } from './sinkRuns.js';

const [format, name] = process.argv.slice(2) as [StreamedFormat, SinkRunName];
const r = (sinkRuns() as Partial<Record<string, RunReport>>)[name];
if (!STREAMED_FORMATS.includes(format) || r === undefined) throw new Error(`usage: sinkToStdout.js <${STREAMED_FORMATS.join('|')}> <${Object.keys(sinkRuns()).join('|')}>`);
await feed(reportSink(sinkOptions(r, format), r.policy), r);
