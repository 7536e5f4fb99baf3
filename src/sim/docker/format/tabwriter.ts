/**
 * Go's text/tabwriter as docker/cli's formatter uses it:
 * `tabwriter.NewWriter(out, 10, 1, 3, ' ', 0)` (cli/command/formatter/formatter.go postFormat):
 * minwidth 10, padding 3, padchar ' ', no flags.
 *
 * Cells are tab-terminated; the text after a line's last tab is not part of any column.
 * A column block is a run of consecutive lines that have a cell in that column; its width is
 * the widest cell (in runes) plus the padding, at least minwidth. This is the recursive
 * `format` of tabwriter.go.
 */
export interface TabwriterOptions {
  minwidth: number;
  tabwidth: number;
  padding: number;
  padchar: string;
}

/** docker/cli's settings. */
export const DOCKER_TABWRITER: TabwriterOptions = { minwidth: 10, tabwidth: 1, padding: 3, padchar: ' ' };

interface Cell {
  text: string;
  width: number;
}

const runeCount = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

/** Formats `text` (everything written before Flush) as tabwriter would. */
export function tabwrite(text: string, o: TabwriterOptions = DOCKER_TABWRITER): string {
  const rawLines = text.split('\n');
  const lines: Cell[][] = rawLines.map((l) => l.split('\t').map((t) => ({ text: t, width: runeCount(t) })));
  let out = '';
  const widths: number[] = [];

  const writeLines = (line0: number, line1: number): void => {
    for (let i = line0; i < line1; i++) {
      const line = lines[i];
      for (let j = 0; j < line.length; j++) {
        const c = line[j];
        out += c.text;
        if (j < widths.length) {
          const pad = widths[j] - c.width;
          if (o.padchar === '\t') out += '\t'.repeat(Math.ceil(pad / o.tabwidth));
          else out += o.padchar.repeat(Math.max(0, pad));
        }
      }
      if (i + 1 < lines.length) out += '\n';
    }
  };

  const format = (line0: number, line1: number): void => {
    const column = widths.length;
    for (let t = line0; t < line1; t++) {
      if (column >= lines[t].length - 1) continue;
      writeLines(line0, t);
      line0 = t;
      let width = o.minwidth;
      for (; t < line1; t++) {
        const line = lines[t];
        if (column >= line.length - 1) break;
        const w = line[column].width + o.padding;
        if (w > width) width = w;
      }
      widths.push(width);
      format(line0, t);
      widths.pop();
      line0 = t;
    }
    writeLines(line0, line1);
  };

  format(0, lines.length);
  return out;
}
