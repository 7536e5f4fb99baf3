// Issue 6: "UI strings in one module, ready for translation". The Astro templates must take every
// word they show (text, aria-label, title, placeholder, alt) from src/lib/i18n.ts, not spell it out.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

const SRC = join(import.meta.dirname, '../../src');

function astroFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.astro'))
    .map((f) => join(dir, f));
}

/**
 * The template part of an .astro file, without frontmatter, scripts, styles, comments and
 * {expressions}. Inline SVG illustrations go too: they label things with names and addresses
 * (eth0, docker0, 172.17.0.1/16), not prose.
 */
function templateText(source: string): string {
  let s = source.replace(/^---[\s\S]*?\n---/, '');
  s = s.replace(/<(script|style|svg)\b[\s\S]*?<\/\1>/g, '').replace(/<!--[\s\S]*?-->/g, '');
  // Expressions may nest braces (`{xs.map((x) => <li>{x}</li>)}`): drop them from the inside out.
  for (let prev = ''; prev !== s;) [prev, s] = [s, s.replace(/\{[^{}]*\}/g, '')];
  return s;
}

/** Words a reader would see: text between tags and the values of labelling attributes. */
function literalWords(template: string): string[] {
  const found: string[] = [];
  for (const m of template.matchAll(/>([^<>]*)</g)) if (/[A-Za-z]{2,}/.test(m[1])) found.push(m[1].trim());
  for (const m of template.matchAll(/\b(aria-label|title|placeholder|alt)="([^"]*)"/g))
    if (/[A-Za-z]{2,}/.test(m[2])) found.push(`${m[1]}="${m[2]}"`);
  return found;
}

describe('UI strings', () => {
  test('the checker sees literal text and attributes, and ignores expressions, scripts and styles', () => {
    const t = templateText(
      '---\nconst a = "Hi";\n---\n<p>Hello</p><p>{t.x}</p><b aria-label="Shown">{a}</b><style>p{}</style><script>x</script>',
    );
    expect(literalWords(t)).toEqual(['Hello', 'aria-label="Shown"']);
    expect(literalWords(templateText('<ul>{xs.map((x) => <li>{x.name}</li>)}</ul><i title={t.y}></i>'))).toEqual([]);
  });

  test('no .astro template spells out English itself', () => {
    const files = astroFiles(SRC);
    expect(files.length).toBeGreaterThan(10);
    const offenders = files.flatMap((f) =>
      literalWords(templateText(readFileSync(f, 'utf8'))).map((w) => `${f.slice(SRC.length + 1)}: ${w}`),
    );
    expect(offenders).toEqual([]);
  });
});
