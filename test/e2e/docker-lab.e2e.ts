// The course's acceptance path through Docker in the browser lab (issue 6, "Done when"): a web
// server published on 8080, curl through the DNAT rule, the topology and the packet trace,
// persistence of a Docker lab, daemon.json edited with vi, Tab completion of container names,
// Ctrl-C on ping. These need the simulator's Docker engine and network tools.
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { cursorLine, openBrowser, openLab, typeInTerminal, waitForPrompt, waitForTerminal } from './browser.ts';

let browser: { context: BrowserContext; close: () => Promise<void> };
let page: Page;

beforeAll(async () => {
  browser = await openBrowser();
  page = await openLab(browser.context, inject('baseUrl') + '/sandbox/');
});
afterAll(async () => {
  await browser?.close();
});

test('docker run -p 8080:80 nginx, then curl localhost:8080 shows the nginx page', async () => {
  await typeInTerminal(page, 'docker run -d --name web -p 8080:80 nginx');
  await waitForTerminal(page, (l) => l.some((x) => /^[0-9a-f]{64}$/.test(x)), 20_000);
  await waitForPrompt(page);
  await typeInTerminal(page, 'curl localhost:8080');
  await waitForTerminal(page, (l) => l.some((x) => /<h1>(Welcome to nginx!|It works!)<\/h1>/.test(x)), 20_000);
});

test('the topology shows web on docker0 with its IP', async () => {
  await page.waitForSelector('[data-topology] g.container[data-name="web"]', { timeout: 10_000 });
  const text = await page.locator('[data-topology] g.container[data-name="web"]').textContent();
  expect(text).toContain('172.17.0.2');
  expect(await page.locator('[data-topology] g.bridge[data-name="docker0"]').count()).toBe(1);
  await page.click('[data-topology] g.container[data-name="web"]');
  expect(await page.locator('[data-details]').innerText()).toContain('02:42:ac:11:00:02');
});

test('the packet trace shows the DNAT hop of a request from the LAN address', async () => {
  await typeInTerminal(page, 'curl -s 192.168.100.200:8080 > /dev/null');
  await waitForPrompt(page);
  await page.click('[data-view-tab=trace]');
  const trace = await page.locator('[data-trace]').innerText();
  // The NAT step that rewrote the destination to the container (DNAT on the first packet; the
  // same translation applied from conntrack on later packets of the flow).
  expect(trace).toMatch(/(DNAT|un-NAT) rewrote \S+:8080 → 172\.17\.0\.2:80/);
  await page.click('[data-view-tab=topology]');
});

test("telnet to the published port: typed request, the answer, the close; the trace is telnet's", async () => {
  await typeInTerminal(page, 'telnet 192.168.100.200 8080');
  await waitForTerminal(page, (l) => l.includes("Escape character is '^]'."));
  await typeInTerminal(page, 'HEAD / HTTP/1.0');
  await typeInTerminal(page, '');
  await waitForTerminal(page, (l) => l.includes('Connection closed by foreign host.') && l.includes('Server: nginx/1.25.3'));
  await waitForPrompt(page);
  await page.click('[data-view-tab=trace]');
  const trace = await page.locator('[data-trace]').innerText();
  expect(trace).toContain('telnet 192.168.100.200 8080');
  expect(trace).toMatch(/(DNAT|un-NAT) rewrote \S+:8080 → 172\.17\.0\.2:80/);
  await page.click('[data-view-tab=topology]');
});

test('Tab completes a container name', async () => {
  await typeInTerminal(page, 'docker inspect -f {{.Name}} we', false);
  await page.keyboard.press('Tab');
  expect(await cursorLine(page)).toMatch(/ web$/);
  await page.keyboard.press('Enter');
  await waitForTerminal(page, (l) => l.includes('/web'));
});

test('Ctrl-C stops ping and prints its summary', async () => {
  await typeInTerminal(page, 'ping 172.17.0.2');
  await waitForTerminal(page, (l) => l.some((x) => /^64 bytes from 172\.17\.0\.2/.test(x)), 10_000);
  await page.keyboard.press('Control+c');
  const lines = await waitForTerminal(page, (l) => l.some((x) => /packets transmitted/.test(x)));
  await waitForPrompt(page);
  expect(lines.filter((x) => x === '^C').length, 'the ^C is echoed once').toBe(1);
});

test('vi /etc/docker/daemon.json opens the editor; after a restart new containers use the new bip', async () => {
  await typeInTerminal(page, 'vi /etc/docker/daemon.json');
  await page.waitForSelector('.monaco-editor .view-line', { timeout: 30_000 });
  await page.evaluate(() =>
    (window as unknown as { __editor: { setValue(s: string): void } }).__editor.setValue('{"bip": "172.30.0.1/16"}\n'),
  );
  await page.click('[data-editor-save]');
  await page.click('[data-editor-close]');
  await waitForPrompt(page);
  await typeInTerminal(page, 'systemctl restart docker');
  await waitForPrompt(page, 20_000);
  await typeInTerminal(page, 'docker run -d --name after busybox sleep 3600');
  await waitForPrompt(page, 20_000);
  await typeInTerminal(page, "docker inspect -f '{{.NetworkSettings.IPAddress}}' after");
  await waitForTerminal(page, (l) => l.some((x) => /^172\.30\.\d+\.\d+$/.test(x)));
});

test('docker exec -it CONTAINER vi FILE edits the container file, not the host one', async () => {
  await typeInTerminal(page, 'docker exec -it after vi /etc/hosts');
  await page.waitForSelector('.monaco-editor .view-line', { timeout: 30_000 });
  expect(await page.locator('[data-editor-title]').innerText()).toContain('after');
  const text = await page.evaluate(() => (window as unknown as { __editor: { getValue(): string } }).__editor.getValue());
  expect(text).toMatch(/^172\.30\.\d+\.\d+\t[0-9a-f]{12}$/m);
  await page.evaluate(
    (t) => (window as unknown as { __editor: { setValue(s: string): void } }).__editor.setValue(t + '10.9.9.9\tdb.example\n'),
    text,
  );
  await page.click('[data-editor-save]');
  await page.click('[data-editor-close]');
  await waitForPrompt(page);
  await typeInTerminal(page, 'docker exec after grep db.example /etc/hosts; grep -c db.example /etc/hosts');
  // In the container, the line is there; on the host's /etc/hosts it is not (grep -c prints 0).
  await waitForTerminal(page, (l) => l.some((x) => /^10\.9\.9\.9\s+db\.example$/.test(x.trim())) && l.includes('0'));
});

test('reload restores the Docker lab', async () => {
  await page.reload();
  await page.waitForSelector('lab-panel[data-ready="true"]', { state: 'attached', timeout: 30_000 });
  // `systemctl restart docker` stopped `web` (no restart policy), as on a real host: it is
  // still there, stopped, next to `after`.
  await typeInTerminal(page, 'docker ps -a --format {{.Names}}:{{.State}}');
  await waitForTerminal(page, (l) => l.includes('web:exited') && l.includes('after:running'));
  // The file saved from the editor inside the container is part of the replayed lab.
  await typeInTerminal(page, 'docker exec after grep -c db.example /etc/hosts');
  await waitForTerminal(page, (l) => l.includes('1'));
});
