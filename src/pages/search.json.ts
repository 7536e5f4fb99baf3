/** A static full-text index of the chapters (title, headings, text), fetched by the search box on first use. */
import type { APIRoute } from 'astro';
import { getChapters, plainText } from '../lib/chapters.ts';

export const GET: APIRoute = async () => {
  const chapters = await getChapters();
  const docs = chapters.map((c) => ({
    url: `/chapters/${c.id}/`,
    title: c.data.title,
    summary: c.data.summary,
    headings: [...(c.body ?? '').matchAll(/^#{2,3} (.+)$/gm)].map((m) => m[1]),
    text: plainText(c.body ?? ''),
  }));
  return new Response(JSON.stringify(docs), { headers: { 'content-type': 'application/json' } });
};
