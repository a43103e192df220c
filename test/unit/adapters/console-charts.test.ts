// The console saves a chart image in a folder of the user's own under the charts folder, so deleting
// an account can remove that trader's charts; a user name that isn't a safe folder name stays one folder.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { CONSOLE_PLATFORM, createConsoleAdapter } from '../../../adapters/console/index.ts';
import { userChartDir } from '../../../src/core/chart-files.ts';

const root = mkdtempSync(path.join(os.tmpdir(), 'gentrade-console-charts-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('console charts', () => {
  it('are saved under the charts folder, in the folder of the user at the terminal', async () => {
    const output = new PassThrough();
    let printed = '';
    output.on('data', (d) => {
      printed += String(d);
    });
    const adapter = createConsoleAdapter({
      conversation: { handle: async () => [] },
      input: new PassThrough(),
      output,
      interactive: false,
      imageDir: root,
    });
    const user = os.userInfo().username || 'trader';
    await adapter.deliver(
      { platform: CONSOLE_PLATFORM, conversationId: `console-${user}`, userId: user },
      {
        text: 'done',
        card: {
          title: 'Result',
          fields: [],
          image: { filename: '../equity.png', contentType: 'image/png', data: new Uint8Array([1, 2, 3]) },
        },
      },
    );
    const file = path.join(root, encodeURIComponent(user), 'equity.png');
    expect([...readFileSync(file)]).toEqual([1, 2, 3]);
    expect(printed).toContain(file);
    expect(existsSync(path.join(root, 'equity.png'))).toBe(false);
  });

  it('keeps every user name to one folder inside the root', () => {
    for (const name of ['..', '.', 'a/b', '../../etc', '']) {
      const dir = userChartDir(root, name);
      expect(path.dirname(dir)).toBe(root);
      expect(path.basename(dir)).not.toMatch(/^\.+$/);
    }
    expect(userChartDir(root, 'ann')).toBe(path.join(root, 'ann'));
  });
});
