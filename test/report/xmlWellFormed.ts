/**
 * A small XML 1.0 well-formedness checker for the JUnit renderer's tests: one root element,
 * properly nested and closed tags, quoted attributes without duplicates or raw `<`, only the
 * five predefined entities and numeric character references, and every character an XML Char.
 * No DTDs, comments, CDATA or processing instructions other than the leading declaration: the
 * renderer writes none, so meeting one is an error too. Returns the problems found (empty when
 * well-formed), each with its offset.
 */

const NAME = /^[A-Za-z_:][A-Za-z0-9_:.-]*/;
/** XML 1.0 §2.2 Char, as the complement: what must never appear. */
const NOT_CHAR = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const REFERENCE = /^&(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);/;

function checkText(text: string, at: number, where: string, problems: string[]): void {
  const bad = NOT_CHAR.exec(text);
  if (bad) problems.push(`${at + bad.index}: character U+${bad[0].charCodeAt(0).toString(16).padStart(4, '0')} is not allowed in XML (${where})`);
  for (let i = text.indexOf('&'); i !== -1; i = text.indexOf('&', i + 1)) {
    if (!REFERENCE.test(text.slice(i))) problems.push(`${at + i}: bare & (${where})`);
  }
}

/** Problems that make `xml` not well-formed; empty when it is. */
export function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  let i = 0;
  if (xml.startsWith('<?xml')) {
    const end = xml.indexOf('?>');
    if (end === -1) return ['0: unterminated XML declaration'];
    i = end + 2;
  }
  const open: string[] = [];
  let roots = 0;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt === -1 ? xml.length : lt);
    if (open.length === 0 && text.trim() !== '') problems.push(`${i}: text outside the root element`);
    checkText(text, i, 'text', problems);
    if (text.includes('>') && open.length === 0) problems.push(`${i}: stray >`);
    if (lt === -1) break;
    i = lt + 1;
    const closing = xml[i] === '/';
    if (closing) i++;
    const name = NAME.exec(xml.slice(i))?.[0];
    if (name === undefined) return [...problems, `${i}: expected a tag name`];
    i += name.length;
    if (closing) {
      const m = /^\s*>/.exec(xml.slice(i));
      if (!m) return [...problems, `${i}: expected > after </${name}`];
      i += m[0].length;
      const top = open.pop();
      if (top !== name) return [...problems, `${i}: </${name}> closes <${top ?? 'nothing'}>`];
      continue;
    }
    if (open.length === 0 && ++roots > 1) problems.push(`${lt}: a second root element <${name}>`);
    const seen = new Set<string>();
    for (;;) {
      const ws = /^\s*/.exec(xml.slice(i))![0];
      i += ws.length;
      if (xml.startsWith('/>', i)) {
        i += 2;
        break;
      }
      if (xml[i] === '>') {
        i++;
        open.push(name);
        break;
      }
      if (ws === '') return [...problems, `${i}: expected whitespace before an attribute in <${name}>`];
      const attr = /^([A-Za-z_:][A-Za-z0-9_:.-]*)\s*=\s*("([^"]*)"|'([^']*)')/.exec(xml.slice(i));
      if (!attr) return [...problems, `${i}: malformed attribute in <${name}>`];
      if (seen.has(attr[1]!)) problems.push(`${i}: duplicate attribute ${attr[1]} in <${name}>`);
      seen.add(attr[1]!);
      const value = attr[3] ?? attr[4] ?? '';
      if (value.includes('<')) problems.push(`${i}: raw < in attribute ${attr[1]}`);
      checkText(value, i, `attribute ${attr[1]}`, problems);
      i += attr[0].length;
    }
  }
  if (open.length > 0) problems.push(`end: unclosed <${open.join('>, <')}>`);
  if (roots === 0) problems.push('end: no root element');
  return problems;
}
