/**
 * The report layer in one import: pure renderers from a run (scan results, their evaluations
 * and the policy) to text: the terminal table, the fipscan/v1 JSON document or lines, JUnit XML
 * and Prometheus text; and the fipscan/v1 document read back, merged and diffed.
 */
export type { EndpointReport, RunReport } from './model.js';
export { sanitize } from './sanitize.js';
export { renderTable, type TableOptions } from './table.js';
export {
  JSON_SCHEMA_ID,
  renderJson,
  renderJsonLine,
  toJsonDocument,
  toJsonEndpoint,
  type JsonCertificate,
  type JsonCertificateChain,
  type JsonCipher,
  type JsonDhParameters,
  type JsonDocument,
  type JsonEndpoint,
  type JsonFeatures,
  type JsonGroup,
  type JsonProtocol,
  type JsonViolation,
} from './json.js';
export type { JsonSsh, JsonSshAlgorithm, JsonSshDirections } from './sshJson.js';
export { renderJsonDocument, renderJsonEntry, renderJsonFrame, type JsonFrame } from './json.js';
export { renderJunit } from './junit.js';
export { renderProm, escapeLabelValue, type PromOptions } from './prom.js';
export { ReportFormatError, readJsonDocument } from './readJson.js';
export { MergeError, endpointKey, mergeDocuments, type MergeConflict, type MergeResult, type NamedDocument } from './merge.js';
export { DIFF_SCHEMA_ID, diffReports, type DiffItem, type EndpointDiff, type ReportDiff, type SuiteChanges } from './diff.js';
export type { SshAlgorithmChanges } from './diffSsh.js';
export { renderDiffJson, renderDiffText, type DiffTextOptions } from './diffText.js';
