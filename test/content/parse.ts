/** Code blocks of an MDX chapter and the command lines of a runnable snippet. */

export interface Block {
  lang: string;
  meta: string;
  code: string;
}

export function codeBlocks(mdx: string): Block[] {
  const out: Block[] = [];
  const re = /^```(\w*)[ \t]*([^\n]*)\n([\s\S]*?)^```[ \t]*$/gm;
  for (let m = re.exec(mdx); m; m = re.exec(mdx)) out.push({ lang: m[1], meta: m[2].trim(), code: m[3].replace(/\n$/, '') });
  return out;
}

/** A snippet's command lines (a line ending in `\` continues on the next). */
export function commands(code: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (const line of code.split('\n')) {
    cur = cur ? `${cur}\n${line}` : line;
    if (!line.endsWith('\\')) {
      if (cur.trim()) out.push(cur);
      cur = '';
    }
  }
  if (cur.trim()) out.push(cur);
  return out;
}
