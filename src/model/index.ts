/**
 * The result model, the layer every other one reads: what a scan found (scan.ts), the verdict a
 * policy gives it (verdict.ts), what an inspection found (inspect.ts, workload.ts) and the
 * catalogue of error and inconclusive codes (errors.ts). Plain data and small pure helpers only:
 * nothing here opens a socket, reads a file or knows how a result was produced.
 */
export type * from './scan.js';
export type * from './verdict.js';
export type * from './inspect.js';
export type * from './workload.js';
export { RULE_IDS } from './verdict.js';
export { check, subjectVerdict } from './inspect.js';
export { protocolResult, setProtocolResult } from './scan.js';
