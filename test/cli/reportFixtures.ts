/**
 * fipscan/v1 report files for the merge and diff CLI tests, built by the report factories
 * (test/report/factories.ts) in a temporary directory removed at teardown: no network needed.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Test } from 'tap';
import { renderJsonDocument, toJsonDocument, type JsonDocument } from '../../src/report/index.js';
import type { EndpointReport } from '../../src/report/model.js';
import { run } from '../report/factories.js';

/** A temporary directory, removed when the test ends. */
export function tempDir(t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'fipscan-reports-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The report document of `endpoints`, started at `startedAt` (default: the factories' date). */
export function reportOf(endpoints: EndpointReport[], startedAt?: string): JsonDocument {
  const doc = toJsonDocument(run(endpoints));
  if (startedAt !== undefined) doc.startedAt = startedAt;
  return doc;
}

/** Writes `doc` (or raw text) to dir/name as fipscan writes it; returns the path. */
export function writeReport(dir: string, name: string, doc: JsonDocument | string): string {
  const path = join(dir, name);
  writeFileSync(path, typeof doc === 'string' ? doc : renderJsonDocument(doc));
  return path;
}
