/**
 * The report layer in one import: pure renderers from a run (scan results, their evaluations
 * and the policy) to text: the terminal table and the fipscan/v1 JSON document or lines.
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
