// The console's ways to import a strategy: "/import FILE" attaches a local file, and a ``` block typed
// or pasted over several lines arrives as one message, as chat platforms deliver it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createPasteCollector, lineToEvent } from '../../../adapters/console/inbound.ts';
import { isAppError } from '../../../src/errors.ts';

const who = {
  address: { platform: 'console', conversationId: 'console-me', userId: 'me' },
  sender: { platformUserId: 'me', displayName: 'me' },
};

describe('console import', () => {
  it('turns /import FILE into a message carrying the file, read only when fetched', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'console-import-'));
    const file = path.join(dir, 'my_strategy.py');
    writeFileSync(file, 'class A(IStrategy):\n    pass\n');
    const input = lineToEvent(`/import ${file}`, who, []);
    if (input.kind !== 'event' || input.event.kind !== 'message') throw new Error('not a message');
    const [attachment] = input.event.attachments ?? [];
    expect(attachment?.filename).toBe('my_strategy.py');
    expect(attachment?.size).toBe(29);
    expect(new TextDecoder().decode(await attachment?.fetch())).toBe('class A(IStrategy):\n    pass\n');
  });

  it('takes a quoted path, as a file manager pastes one with spaces', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'console-import-'));
    const file = path.join(dir, 'My Strategy.py');
    writeFileSync(file, 'class B(IStrategy):\n    pass\n');
    for (const line of [`/import "${file}"`, `/import '${file}'`]) {
      const input = lineToEvent(line, who, []);
      if (input.kind !== 'event' || input.event.kind !== 'message') throw new Error(`not a message: ${line}`);
      expect(input.event.attachments?.[0]?.filename).toBe('My Strategy.py');
    }
  });

  it('says plainly when the file cannot be read', async () => {
    const input = lineToEvent('/import /nonexistent/x.py', who, []);
    if (input.kind !== 'event' || input.event.kind !== 'message') throw new Error('not a message');
    const err = await input.event.attachments?.[0]?.fetch().catch((e: unknown) => e);
    expect(isAppError(err) && err.userMessage).toBe(
      "I can't read /nonexistent/x.py. Check the path and try again.",
    );
  });

  const local = (line: string) => {
    const input = lineToEvent(line, who, []);
    if (input.kind !== 'local') throw new Error(`not answered locally: ${JSON.stringify(input)}`);
    return input.text;
  };

  it('says what /import takes when no path is given', () => {
    expect(local('/import')).toMatch(
      /^\/import reads a Freqtrade strategy from a \.py file on this computer, up to 1024 KB/,
    );
  });

  it('refuses a folder, a non-.py file, a device and a pipe without reading them', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'console-import-'));
    const folder = path.join(dir, 'strategies.py');
    mkdirSync(folder);
    expect(local(`/import ${folder}`)).toMatch(/is a folder\. \/import reads/);
    const notes = path.join(dir, 'notes.txt');
    writeFileSync(notes, 'hello');
    expect(local(`/import ${notes}`)).toMatch(/notes\.txt is not a \.py file\. \/import reads/);
    // Endless or blocking: answered at once, never opened.
    expect(local('/import /dev/zero')).toMatch(/^\/dev\/zero is not a regular file\./);
    const fifo = path.join(dir, 'pipe.py');
    execFileSync('mkfifo', [fifo]);
    expect(local(`/import ${fifo}`)).toMatch(/pipe\.py is not a regular file\./);
  });

  it('reads no more than the import limit of a large file', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'console-import-'));
    const big = path.join(dir, 'big.py');
    writeFileSync(big, Buffer.alloc(3 * 1024 * 1024, 0x23));
    const input = lineToEvent(`/import ${big}`, who, []);
    if (input.kind !== 'event' || input.event.kind !== 'message') throw new Error('not a message');
    const bytes = await input.event.attachments?.[0]?.fetch();
    expect(bytes?.byteLength).toBe(1024 * 1024 + 1);
  });

  it('collects a multi-line ``` block into one message and passes other lines through', () => {
    const paste = createPasteCollector();
    expect(paste('hello')).toBe('hello');
    expect(paste('```python')).toBeNull();
    expect(paste('class A(IStrategy):')).toBeNull();
    expect(paste('    timeframe = "1h"')).toBeNull();
    expect(paste('```')).toBe('```python\nclass A(IStrategy):\n    timeframe = "1h"\n```');
    expect(paste('```x = 1```')).toBe('```x = 1```');
    expect(paste('/help')).toBe('/help');
  });
});
