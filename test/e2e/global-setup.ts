// Serves the built site (dist/) on a free loopback port for the end-to-end tests.
import type { TestProject } from 'vitest/node';
import { fileURLToPath } from 'node:url';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
// @ts-expect-error plain JS helper without types
import { serve } from '../../scripts/serve.mjs';

let server: Server;

export async function setup(project: TestProject): Promise<void> {
  server = (await serve(fileURLToPath(new URL('../../dist', import.meta.url)), 0)) as Server;
  const { port } = server.address() as AddressInfo;
  project.provide('baseUrl', `http://127.0.0.1:${port}`);
}

export async function teardown(): Promise<void> {
  await new Promise((r) => server.close(r));
}

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
  }
}
