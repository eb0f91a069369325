/**
 * Reading the HTML report's markup in the renderer tests without a browser. The renderer escapes
 * every `<` of text, so outside <style> and <script> each `<` must open a tag of the renderer's
 * own, written as its templates write them: lowercase name, double-quoted attribute values.
 * `tagsOf` lists them and fails on any `<` that does not start such a tag.
 */

export interface Tag {
  name: string;
  closing: boolean;
  attributes: Record<string, string>;
}

/** The contents of the one <style> and the one <script> element. */
export function inlineResources(page: string): { style: string; script: string } {
  const style = /<style>([\s\S]*?)<\/style>/.exec(page)?.[1];
  const script = /<script>([\s\S]*?)<\/script>/.exec(page)?.[1];
  if (style === undefined || script === undefined) throw new Error('no <style> or <script> element');
  return { style, script };
}

/** The page without what is inside <style> and <script> (their text is CSS and JS, not markup). */
export function markupOnly(page: string): string {
  return page.replace(/(<style>)[\s\S]*?(<\/style>)/g, '$1$2').replace(/(<script>)[\s\S]*?(<\/script>)/g, '$1$2');
}

const TAG = /^<(\/?)([a-z][a-z0-9]*)((?:\s+[a-zA-Z][\w:-]*(?:="[^"<>]*")?)*)\s*>/;
const ATTRIBUTE = /([a-zA-Z][\w:-]*)(?:="([^"]*)")?/g;

/** Every tag in the page, in order; throws at a `<` that is not a well-formed tag. */
export function tagsOf(page: string): Tag[] {
  const markup = markupOnly(page).replace(/^<!DOCTYPE html>\n/, '');
  const tags: Tag[] = [];
  for (let at = markup.indexOf('<'); at >= 0; at = markup.indexOf('<', at + 1)) {
    const m = TAG.exec(markup.slice(at));
    if (!m) throw new Error(`a '<' that opens no tag of the renderer's: ${JSON.stringify(markup.slice(at, at + 80))}`);
    const attributes: Record<string, string> = {};
    for (const a of m[3]!.matchAll(ATTRIBUTE)) attributes[a[1]!] = a[2] ?? '';
    tags.push({ name: m[2]!, closing: m[1] === '/', attributes });
  }
  return tags;
}

/** The text of the page with the tags removed and the entities decoded. */
export function textOf(page: string): string {
  return decodeEntities(markupOnly(page).replace(/<[^>]*>/g, ''));
}

/** Text or an attribute value with the five entities the renderer writes decoded. */
export function decodeEntities(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}
