// The packaged extension as a new user gets it: package the linux-x64 VSIX, install it into a fresh
// VS Code (code-server) with no settings of ours, open a workspace, type, and get ghost text from the
// embedded default model; Tab accepts it. Ends with "N passed, N failed".
// Usage: node test/e2e/gui-vsix.mjs   (npm run build first)
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, log } from './server.mjs';
import { activeLines, openFromExplorer, openWorkbench, palette, runGui } from './gui-session.mjs';

await runGui('vsix', 'The VSIX, installed', async ({ step, shot, start }) => {
  const vsix = join(ROOT, 'vsix/samba-code-linux-x64.vsix');
  await step('npm run package builds the linux-x64 VSIX', async () => {
    execFileSync(process.execPath, [join(ROOT, 'scripts/package.mjs'), 'linux-x64'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    log(`VSIX: ${(statSync(vsix).size / 1024 / 1024).toFixed(1)} MiB`);
  });
  // No samba.model.path: the embedded default model, as a user who just installed it has.
  const { server, page } = await start({ vsix, settings: { 'samba.model.path': '' } });

  await step('opening a workspace and typing gives ghost text from the embedded model; Tab accepts it', async () => {
    await openWorkbench(page, server);
    await openFromExplorer(page, 'src', 'geometry.ts');
    const lines = activeLines(page);
    await lines.locator('text=centroid').first().waitFor({ timeout: 20_000 });
    await lines.click();
    await page.keyboard.press('Control+End');
    // Typed while the model loads, the request races the first read, so which prompt it runs on is up
    // to timing. At the body's first line the model's line scored -3.39 in one run (shown: the default
    // level is -4) and was held back in a fresh clone's. Half a line with its pattern set (x, then y)
    // is where a user expects the rest: -1.22 before the read, -1.28 to -1.31 after it (stop 48).
    await page.keyboard.type('\nexport function midpoint(a: Point, b: Point): Point {\nreturn { x: (a.x + b.x) / 2, ', { delay: 20 });
    const ghost = page.locator('.monaco-editor [class*="ghost-text"]').first();
    await ghost.waitFor({ timeout: 120_000 });
    const shown = (await ghost.innerText()).replace(/\s+/g, ' ').trim();
    log(`ghost text from the default model: ${JSON.stringify(shown)}`);
    await shot('ghost-text');
    await page.keyboard.press('Tab');
    await page.waitForFunction(() => !document.querySelector('.monaco-editor [class*="ghost-text"]'), null, { timeout: 10_000 });
    const text = (await lines.innerText()).replace(/\s+/g, ' ');
    if (!text.includes(shown.slice(0, Math.min(6, shown.length)))) throw new Error(`the accepted text is not in the editor: ${JSON.stringify(shown)}`);
    await shot('accepted');
  });

  await step('the installed extension runs the model on the GPU (its Dawn binary shipped in the VSIX)', async () => {
    await palette(page, 'Samba: Show Engine Info');
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: /blocks x/ }).first();
    await toast.waitFor({ timeout: 60_000 });
    const text = (await toast.innerText()).replace(/\s+/g, ' ');
    log(`engine: ${text}`);
    if (!/on the GPU/.test(text) || !/\(default\)/.test(text)) throw new Error(`not the embedded model on the GPU: ${text}`);
  });
});
