/**
 * The HTML report of a fleet stays a file one can mail: under 2 MB for 100 endpoints, measured
 * on factory-built endpoints of every shape, and on 100 copies of the largest (a sidecar with
 * three versions, fifteen suites, thirteen violations and two warnings).
 */
import t from 'tap';
import { renderHtml } from '../../src/report/html.js';
import { toJsonDocument } from '../../src/report/json.js';
import { hostileEndpoint, inconclusiveEndpoint, legacyEndpoint, meshSidecarEndpoint, run, strictEndpoint, unreachableEndpoint } from './factories.js';

const LIMIT = 2 * 1024 * 1024;
const SHAPES = [meshSidecarEndpoint, strictEndpoint, inconclusiveEndpoint, legacyEndpoint, hostileEndpoint, unreachableEndpoint];

t.test('100 endpoints of every shape render under 2 MB', async (t) => {
  const endpoints = Array.from({ length: 100 }, (_, i) => SHAPES[i % SHAPES.length]!());
  const bytes = Buffer.byteLength(renderHtml(toJsonDocument(run(endpoints))));
  t.ok(bytes < LIMIT, `${bytes} bytes`);
});

t.test('100 copies of the largest endpoint render under 2 MB', async (t) => {
  const bytes = Buffer.byteLength(renderHtml(toJsonDocument(run(Array.from({ length: 100 }, () => meshSidecarEndpoint())))));
  t.ok(bytes < LIMIT, `${bytes} bytes`);
});
