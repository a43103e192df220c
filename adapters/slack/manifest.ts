// The Slack app manifest, built from the core's command list. Slack registers slash commands from the
// manifest, not at runtime, so adapters/slack/manifest.json is generated from this file and a unit
// test fails when the two drift. Regenerate with: npx tsx adapters/slack/manifest.ts
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMMANDS } from '../../src/core/commands.ts';

export const MANIFEST_PATH = path.join(path.dirname(fileURLToPath(import.meta.url)), 'manifest.json');

// Slack's limits for a slash command's description and usage hint.
const DESCRIPTION = 100;
const USAGE_HINT = 1000;

export function buildManifest() {
  return {
    _metadata: { major_version: 1, minor_version: 1 },
    display_information: {
      name: 'GenTrade',
      description: 'Build and backtest Freqtrade strategies from chat',
      background_color: '#1d3557',
    },
    features: {
      bot_user: { display_name: 'GenTrade', always_online: true },
      // DMs with the bot go through the Messages tab.
      app_home: { messages_tab_enabled: true, messages_tab_read_only_enabled: false },
      slash_commands: COMMANDS.map((c) => ({
        command: `/${c.name}`,
        description: c.description.slice(0, DESCRIPTION),
        ...(c.args ? { usage_hint: c.args.slice(0, USAGE_HINT) } : {}),
        should_escape: false,
      })),
    },
    oauth_config: {
      scopes: {
        // chat:write.public: answer a slash command in a public channel the bot hasn't been invited to.
        bot: [
          'app_mentions:read',
          'chat:write',
          'chat:write.public',
          'commands',
          'files:write',
          'im:history',
          'im:read',
          'im:write',
        ],
      },
    },
    settings: {
      // Only mentions and DMs are subscribed: channel chatter never reaches the bot.
      event_subscriptions: { bot_events: ['app_mention', 'message.im'] },
      interactivity: { is_enabled: true },
      org_deploy_enabled: false,
      // Socket Mode needs no public URL. For the HTTP receiver, turn it off and set the request URLs
      // (event subscriptions, interactivity and each slash command) to https://<host>/slack/events.
      socket_mode_enabled: true,
      token_rotation_enabled: false,
    },
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(MANIFEST_PATH, `${JSON.stringify(buildManifest(), null, 2)}\n`);
  execFileSync('npx', ['biome', 'format', '--write', MANIFEST_PATH], { stdio: 'inherit' });
}
