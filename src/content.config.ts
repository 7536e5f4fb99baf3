/**
 * Content collections: the chapters of the course are MDX files in content/chapters, each with a
 * typed frontmatter (validated at build time: a chapter with a wrong field fails the build).
 */
import { defineCollection, z } from 'astro:content';
import { glob } from 'astro/loaders';

/** What a chapter's lab starts from: its hosts and the commands run before the learner types. */
export const labSchema = z
  .object({
    /**
     * The simulator's machine profile: `course` (realistic images, the default) or `golden` (the
     * machine the golden transcripts were recorded on: its outputs are those of a real Docker 20.10).
     */
    profile: z.enum(['course', 'golden']).default('course'),
    /** How many Docker hosts the lab has (one terminal tab each). */
    hosts: z.number().int().min(1).max(2).default(1),
    /** The seed of the simulator's random choices (ids, MACs): the same seed gives the same lab. */
    seed: z.number().int().nonnegative().default(1),
    /** Commands run before the learner starts (`node2$ cmd` on the second host); their output is not shown. */
    setup: z.array(z.string()).default([]),
    /** dockerd options per host (`--icc=false`), as the lab boots. */
    daemons: z.array(z.string()).default([]),
  })
  .default({});

const chapters = defineCollection({
  loader: glob({ pattern: '**/*.mdx', base: './content/chapters' }),
  schema: z.object({
    title: z.string().min(3),
    /** Position in the course (1, 2, 3 …); chapters are listed in this order. */
    order: z.number().int().positive(),
    /** One or two sentences for the chapter map and the page description. */
    summary: z.string().min(10),
    /** What the learner will be able to do after the chapter. */
    goals: z.array(z.string()).default([]),
    /** The course topic whose exercises (exercises/<topic>/) this chapter offers for practice. */
    topic: z.string().optional(),
    lab: labSchema,
  }),
});

export const collections = { chapters };
