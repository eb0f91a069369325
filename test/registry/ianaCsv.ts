/**
 * Reads the IANA registry exports saved under fixtures/iana/ for the registry tests. The files
 * are RFC 4180 CSV as IANA serves it: CRLF line ends, quoted fields that may hold commas
 * ("0x00,0x01") and line breaks (the "Reserved to avoid conflicts with ... deployed
 * implementations" rows). A row is an assignment only when its value is a single codepoint
 * and its description is a name, not Unassigned or Reserved.
 */

import { readFileSync } from 'node:fs';

/** The repository's fixtures/ folder, seen from dist/test/registry/. */
export const FIXTURES = new URL('../../../fixtures/', import.meta.url);

/** Parses RFC 4180 CSV; the header row is kept. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c !== '"') field += c;
      else if (text[i + 1] === '"') {
        field += '"';
        i++;
      } else quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

export interface CsvRow {
  readonly value: string;
  readonly description: string;
}

/** The data rows of a fixture CSV, header checked and dropped. */
export function readRegistry(file: string): CsvRow[] {
  const [header, ...rows] = parseCsv(readFileSync(new URL(`iana/${file}`, FIXTURES), 'utf8'));
  if (header?.[0] !== 'Value' || header[1] !== 'Description') throw new Error(`${file}: unexpected header ${String(header)}`);
  return rows.map((r) => ({ value: r[0] ?? '', description: r[1] ?? '' }));
}

/** Whether a description names an assignment rather than marking a gap or a reservation. */
export function isAssignment(description: string): boolean {
  return !/^(Unassigned|Reserved)/.test(description);
}

export interface Assignment {
  readonly id: number;
  readonly name: string;
}

/** Assigned cipher suites: value "0xHH,0xLL" exactly; ranges ("0x00,0x1C-1D", "0x01-09,*") are not suites. */
export function cipherSuiteAssignments(): Assignment[] {
  return readRegistry('tls-parameters-4.csv').flatMap(({ value, description }) => {
    const m = /^0x([0-9A-F]{2}),0x([0-9A-F]{2})$/.exec(value);
    return m && isAssignment(description) ? [{ id: parseInt(m[1]! + m[2]!, 16), name: description }] : [];
  });
}

/** Assigned groups: a decimal value, not a range such as "42-255". */
export function groupAssignments(): Assignment[] {
  return readRegistry('tls-parameters-8.csv').flatMap(({ value, description }) =>
    /^\d+$/.test(value) && isAssignment(description) ? [{ id: Number(value), name: description }] : [],
  );
}

/** Assigned signature schemes: "0xHHLL", not a range such as "0x0204-0x0400". */
export function signatureSchemeAssignments(): Assignment[] {
  return readRegistry('tls-signaturescheme.csv').flatMap(({ value, description }) =>
    /^0x[0-9A-F]{4}$/.test(value) && isAssignment(description) ? [{ id: parseInt(value, 16), name: description }] : [],
  );
}
