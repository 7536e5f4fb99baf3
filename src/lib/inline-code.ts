/** Frontmatter strings are plain text: `code` spans become <code>, everything else is escaped. */
export function inlineCode(text: string): string {
  const e = text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  return e.replace(/`([^`]+)`/g, '<code>$1</code>');
}
