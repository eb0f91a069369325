/**
 * The HTML report's escaping: every interpolated value is text, in element content and in
 * quoted attribute values alike; only fragments built by the templates pass as markup; control
 * and bidi characters become visible escapes.
 */
import t from 'tap';
import { Html, escapeHtml, html, join, raw } from '../../src/report/htmlEscape.js';

t.test('the five characters that can end text or an attribute become entities', async (t) => {
  t.equal(escapeHtml(`<script>alert('x')</script>`), '&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;');
  t.equal(escapeHtml(`"><svg onload=alert(1)>`), '&quot;&gt;&lt;svg onload=alert(1)&gt;');
  t.equal(escapeHtml('<img src=x onerror="alert(1)">'), '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;');
  t.equal(escapeHtml('AT&T &amp; &#60;'), 'AT&amp;T &amp;amp; &amp;#60;', 'an entity in the data stays text, it is not decoded');
  t.equal(escapeHtml('O=Example Corp, CN=api.example (ü, 日本)'), 'O=Example Corp, CN=api.example (ü, 日本)', 'printable text, non-ASCII too, is kept');
});

t.test('control characters, bidi controls and separators become visible escapes', async (t) => {
  t.equal(escapeHtml('a\x1b[2Jb\x00c\x07\r\n'), 'a\\x1b[2Jb\\x00c\\x07\\x0d\\x0a');
  t.equal(escapeHtml('invoice\u202egnp.exe'), 'invoice\\u202egnp.exe', 'an RLO cannot reverse what follows');
  t.equal(escapeHtml('x\u2028y\x9bz'), 'x\\u2028y\\x9bz');
});

t.test('html`` escapes every interpolation, in text and in attributes, and keeps the template as written', async (t) => {
  const subject = `"><svg onload=alert(1)>`;
  t.equal(html`<td title="${subject}">${subject}</td>`.markup, '<td title="&quot;&gt;&lt;svg onload=alert(1)&gt;">&quot;&gt;&lt;svg onload=alert(1)&gt;</td>');
  t.equal(html`<p>${42} ${'a'}${null}${undefined}${false}</p>`.markup, '<p>42 a</p>', 'numbers as text; nothing for null, undefined and false');
  t.equal(html`<ul>${['<a>', html`<li>${'<b>'}</li>`]}</ul>`.markup, '<ul>&lt;a&gt;<li>&lt;b&gt;</li></ul>', 'lists: text escaped, fragments kept');
});

t.test('only Html made by the templates passes as markup: a string that looks like markup is text', async (t) => {
  const fragment = html`<b>${'x'}</b>`;
  t.ok(fragment instanceof Html);
  t.equal(html`${fragment}`.markup, '<b>x</b>');
  t.equal(html`${'<b>x</b>'}`.markup, '&lt;b&gt;x&lt;/b&gt;');
  t.equal(html`${{ markup: '<b>' } as unknown as string}`.markup, '[object Object]', 'an object shaped like Html is not Html');
  t.equal(raw('<style>a{}</style>').markup, '<style>a{}</style>');
  t.equal(join(['<a>', html`<i></i>`], ', ').markup, '&lt;a&gt;, <i></i>');
  t.equal(join(['a', 'b'], html`<br>`).markup, 'a<br>b');
});
