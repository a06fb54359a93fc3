import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ModelSession } from '../src/worker/session';
import { DEFAULT_SECRETS, WorkspaceFilter } from '../src/workspace/filter';
import { fixtureDir } from './helpers/fixtures';
import { mkfifoSync } from './helpers/fifo';
import { tempDir, text, writeFiles } from './helpers/workspace';

// Secrets kept out by name and by content, and links that point at what the filter keeps out
// (issue 16, items 1 and 2; docs/bad-input.md lists every case).

const STRIPE = 'sk_live_51HqLyjWDarjtT1zdp7dc9KzB3c';
const GH_TOKEN = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';

/** A workspace with a secret, VCS internals and a gitignored file, and links to each of them. */
async function linkedWorkspace(): Promise<string> {
  const root = tempDir('links');
  await writeFiles(root, {
    'src/a.ts': text('a', 3),
    '.env': `STRIPE_KEY=${STRIPE}\n`,
    '.git/config': `[remote "origin"]\n\turl = https://x-access-token:${GH_TOKEN}@github.com/acme/app.git\n`,
    '.gitignore': 'local-notes.txt\n',
    'local-notes.txt': 'PRIVATE NOTE: the staging password is hunter2\n',
  });
  symlinkSync('.env', path.join(root, 'README.txt'));
  symlinkSync('.git', path.join(root, 'gitmeta'));
  symlinkSync('local-notes.txt', path.join(root, 'notes.md'));
  symlinkSync('src/a.ts', path.join(root, 'alias.ts')); // a link to an ordinary file inside: allowed
  return root;
}

describe('bad input: secrets and links', function () {
  this.timeout(300_000);

  it('a link is judged by its target: links to .env, .git and a gitignored file stay out, by filter and by editor events', async () => {
    const root = await linkedWorkspace();
    const filter = new WorkspaceFilter(root);
    await filter.scan(); // loads .gitignore
    assert.deepEqual(await filter.read('README.txt'), { reason: 'secret' });
    assert.deepEqual(await filter.read('gitmeta/config'), { reason: 'vcs' });
    assert.deepEqual(await filter.read('notes.md'), { reason: 'gitignore' });
    const alias = await filter.read('alias.ts');
    assert.ok('text' in alias && alias.text === text('a', 3));
    // Unsaved editor text of a link (an editor has README.txt open) is judged the same way.
    assert.equal(await filter.textReason('README.txt', `STRIPE_KEY=${STRIPE}\n`), 'secret');
    assert.equal(await filter.textReason('notes.md', 'anything'), 'gitignore');
    assert.equal(await filter.textReason('gitmeta/config', 'anything'), 'vcs');
    assert.equal(await filter.textReason('src/new.ts', 'export const x = 1;\n'), undefined);

    const s = new ModelSession();
    await s.load({ modelDir: fixtureDir('samba-tiny'), backend: 'cpu' });
    await s.open({ root, filter: {}, budgetTokens: 100_000 });
    s.update([
      { kind: 'create', path: 'README.txt' },
      { kind: 'create', path: 'gitmeta/config' },
      { kind: 'create', path: 'notes.md' },
      { kind: 'edit', path: 'README.txt', text: `STRIPE_KEY=${STRIPE}\nmore\n` },
      { kind: 'create', path: 'alias.ts' },
    ]);
    await s.whenIdle();
    assert.deepEqual(s.describe().files.map((f) => f.path).sort(), ['.gitignore', 'alias.ts', 'src/a.ts']);
    const texts = [...(await s.assistant().files()).values()].join('\n');
    for (const leak of [STRIPE, GH_TOKEN, 'hunter2']) assert.ok(!texts.includes(leak), `${leak} reached the Q&A texts`);
    s.dispose();
  });

  it('check-then-open race: a file flipped between a regular file and a link to an outside file never returns the outside file', async () => {
    const outside = tempDir('race-outside');
    writeFileSync(path.join(outside, 'passwd'), 'root:x:0:0:OUTSIDE\n');
    const root = tempDir('race');
    writeFileSync(path.join(root, 'flip.txt'), 'inside\n');
    // Another process swaps flip.txt between a regular file and a link, atomically (rename), as fast as it can.
    const flipper = spawn(process.execPath, ['-e', `
      const fs = require('fs'), p = require('path');
      const root = ${JSON.stringify(root)}, target = ${JSON.stringify(path.join(outside, 'passwd'))};
      const end = Date.now() + 60000;
      while (Date.now() < end) {
        try { fs.symlinkSync(target, p.join(root, '.l')); fs.renameSync(p.join(root, '.l'), p.join(root, 'flip.txt')); } catch {}
        try { fs.writeFileSync(p.join(root, '.f'), 'inside\\n'); fs.renameSync(p.join(root, '.f'), p.join(root, 'flip.txt')); } catch {}
      }`], { stdio: 'ignore' });
    try {
      const filter = new WorkspaceFilter(root);
      let leaked = 0, inside = 0, refused = 0;
      const t0 = Date.now();
      while (Date.now() - t0 < 4000) {
        const batch = await Promise.all(Array.from({ length: 16 }, () => filter.read('flip.txt')));
        for (const r of batch) {
          if ('text' in r && r.text.includes('OUTSIDE')) leaked++;
          else if ('text' in r) inside++;
          else refused++;
        }
      }
      console.log(`      ${leaked + inside + refused} reads: ${inside} inside, ${refused} refused, ${leaked} outside`);
      assert.ok(inside > 0 && refused > 0, 'the flipper ran and both states were seen');
      assert.equal(leaked, 0);
    } finally {
      flipper.kill();
    }
  });

  it('the credential files people keep in repositories are secrets by name', async () => {
    const names = [
      '.env', '.envrc', '.env-production', '.env_prod', '.env.local', 'kubeconfig', '.kube/config', 'home/.kube/config', '.docker/config.json',
      'gcp/my-service-account-key.json', 'client_secret_1234.apps.googleusercontent.com.json', 'infra/terraform.tfstate', 'infra/terraform.tfstate.backup',
      'infra/prod.tfvars', '.pgpass', '.my.cnf', '.htpasswd', '.vault-token', '_netrc', 'putty.ppk', 'key.asc', 'deploy_key', 'deploy_key.pub',
      'secrets/db.yaml', 'config/secrets/api.json', '.aws/config', '.aws/credentials', '.yarnrc.yml', 'auth.json', '.config/gh/hosts.yml', '.s3cfg',
      '.boto', 'local.settings.json', '.dev.vars', 'android/app/google-services.json', '.bash_history', '.python_history', 'token.txt', 'api_key.txt',
      'api_keys.json',
    ];
    const filter = new WorkspaceFilter('/nonexistent');
    for (const n of names) assert.equal(filter.pathReason(n), 'secret', n);
    for (const n of ['src/env.ts', 'src/secretsManager.ts', 'docs/history.md', 'src/auth.ts', 'tokenizer.json', 'src/keys.ts', 'environment.yml']) {
      assert.equal(filter.pathReason(n), undefined, n);
    }
    assert.ok(DEFAULT_SECRETS.includes('*.tfvars'));
  });

  it('files holding a secret shape stay out whatever their name, and the context says why', async () => {
    const root = tempDir('secret-content');
    const shapes: Record<string, string> = {
      'docs/setup.md': `Use this key:\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n`,
      'src/rsa.ts': `export const k = \`-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n\`;\n`,
      'src/pay.ts': `const stripe = new Stripe('${STRIPE}');\n`,
      'scripts/push.sh': `git push https://${GH_TOKEN}@github.com/acme/app\n`,
      'deploy/aws.py': `AWS_ACCESS_KEY_ID = "AKIAZ3MHALEXAMPLE7Q2"\n`,
      'src/slack.ts': `const token = 'xoxb-123456789012-abcdefABCDEF';\n`,
      'src/maps.ts': `const key = 'AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY';\n`,
      'src/llm.ts': `const key = 'sk-proj-Ab12Cd34Ef56Gh78Ij90Kl12Mn34Op56Qr78';\n`,
    };
    await writeFiles(root, { 'src/a.ts': text('a', 3), 'src/ok.ts': 'const s = "sk_test_not_live"; // and a public key: -----BEGIN PUBLIC KEY-----\n', ...shapes });
    const s = new ModelSession();
    await s.load({ modelDir: fixtureDir('samba-tiny'), backend: 'cpu' });
    const r = await s.open({ root, filter: {}, budgetTokens: 100_000 });
    assert.deepEqual(r.files.map((f) => f.path).sort(), ['src/a.ts', 'src/ok.ts']);
    const why = Object.fromEntries(r.skipped.map((x) => [x.path, x.reason]));
    for (const p of Object.keys(shapes)) assert.equal(why[p], 'secret-content', p);
    // Arriving later (a file created, unsaved text typed into a file) they are refused the same way.
    writeFileSync(path.join(root, 'src', 'later.ts'), `const k = '${GH_TOKEN}';\n`);
    s.update([{ kind: 'create', path: 'src/later.ts' }, { kind: 'edit', path: 'src/a.ts', text: `${text('a', 3)}const key = '${STRIPE}';\n` }]);
    await s.whenIdle();
    assert.deepEqual(s.describe().files.map((f) => f.path).sort(), ['src/ok.ts']);
    // An empty secret list is the user's word: names and contents are let in.
    const open = new WorkspaceFilter(root, { secrets: [] });
    assert.ok('text' in (await open.read('src/pay.ts')));
    s.dispose();
  });

  it('a FIFO named like a source file is refused without hanging', async () => {
    const root = tempDir('fifo-ws');
    await writeFiles(root, { 'a.ts': text('a', 3) });
    mkdirSync(path.join(root, 'src'));
    mkfifoSync(path.join(root, 'src', 'pipe.ts'));
    const filter = new WorkspaceFilter(root);
    assert.deepEqual((await filter.scan()).files.map((f) => f.path), ['a.ts']);
    assert.deepEqual(await filter.read('src/pipe.ts'), { reason: 'unreadable' });
  });
});
