// The committed Slack manifest must list exactly the core's commands (Slack registers slash commands
// from it), and must be what adapters/slack/manifest.ts generates, so the two never drift.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildManifest, MANIFEST_PATH } from '../../../adapters/slack/manifest.ts';
import { COMMANDS } from '../../../src/core/commands.ts';

describe('slack manifest', () => {
  const committed: unknown = JSON.parse(readFileSync(MANIFEST_PATH, 'utf8'));

  it('is the generated one (run npx tsx adapters/slack/manifest.ts after changing COMMANDS)', () => {
    expect(committed).toEqual(buildManifest());
  });

  it('lists exactly the core commands, within Slack limits', () => {
    const commands = buildManifest().features.slash_commands;
    expect(commands.map((c) => c.command).sort()).toEqual(COMMANDS.map((c) => `/${c.name}`).sort());
    for (const c of commands) expect(c.description.length).toBeLessThanOrEqual(100);
  });

  it('subscribes to mentions and DMs only, with interactivity for buttons and modals', () => {
    const m = buildManifest();
    expect(m.settings.event_subscriptions.bot_events).toEqual(['app_mention', 'message.im']);
    expect(m.settings.interactivity.is_enabled).toBe(true);
    expect(m.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining(['commands', 'chat:write', 'files:write']),
    );
  });
});
