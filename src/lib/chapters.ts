/** Build-time helpers over the chapter collection: order, neighbours, plain text for search. */
import { getCollection, type CollectionEntry } from 'astro:content';

export type Chapter = CollectionEntry<'chapters'>;

export async function getChapters(): Promise<Chapter[]> {
  const all = await getCollection('chapters');
  return all.sort((a, b) => a.data.order - b.data.order);
}

/** MDX source to searchable text: no imports, JSX tags, code fences' markup or Markdown syntax. */
export function plainText(mdx: string): string {
  return mdx
    .replace(/^import .*$/gm, '')
    .replace(/```[^\n]*\n/g, '')
    .replace(/```/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/[#*_`>[\]]/g, '')
    .replace(/\(([^)]*)\)/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Heading text to the id Astro gives it (github-slugger's rules, for deep links). */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .replace(/\s/g, '-');
}
