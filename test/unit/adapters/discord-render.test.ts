import { ButtonStyle, ComponentType, TextInputStyle } from 'discord.js';
import { describe, expect, it } from 'vitest';
import {
  renderButtons,
  renderCommands,
  renderEdit,
  renderEmbed,
  renderMessage,
  renderModal,
} from '../../../adapters/discord/render.ts';
import { COMMANDS } from '../../../src/core/commands.ts';
import type { Button } from '../../../src/core/types.ts';

const embedLength = (e: ReturnType<typeof renderEmbed>) =>
  [e.title, e.description, e.footer?.text, ...(e.fields ?? []).flatMap((f) => [f.name, f.value])].reduce(
    (n, s) => n + (s?.length ?? 0),
    0,
  );

describe('discord render: text', () => {
  it('cuts labels with an ellipsis and never leaves half a surrogate pair', () => {
    const label = `${'a'.repeat(78)}😀tail`;
    const [row] = renderButtons([{ label, action: 'help' }]);
    expect(row?.components[0]?.label).toBe(`${'a'.repeat(78)}…`);
  });

  it('splits long text into messages of at most 2,000 that read back exactly, on line breaks first', () => {
    const text = Array.from({ length: 100 }, (_, i) => `line ${i} ${'y'.repeat(40)}`).join('\n');
    const chunks = renderMessage({ text }).map((m) => m.content);
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks.join('')).toBe(text);
    for (const c of chunks.slice(0, -1)) {
      expect(c.length).toBeLessThanOrEqual(2000);
      expect(c.endsWith('\n')).toBe(true);
    }
    const unbroken = renderMessage({ text: 'z'.repeat(4500) }).map((m) => m.content.length);
    expect(unbroken).toEqual([2000, 2000, 500]);
  });

  it('puts the card, buttons and files on the last of the split messages', () => {
    const out = renderMessage({
      text: 'x'.repeat(2500),
      card: { title: 'T', fields: [] },
      buttons: [{ label: 'Go', action: 'help' }],
    });
    expect(out).toHaveLength(2);
    expect(out[0]).toMatchObject({ embeds: [], components: [], files: [] });
    expect(out[1]?.embeds).toHaveLength(1);
    expect(out[1]?.components).toHaveLength(1);
    expect(out.every((m) => m.allowedMentions.parse.length === 0)).toBe(true);
  });
});

describe('discord render: embeds and files', () => {
  it('keeps every embed limit, cutting with "…"', () => {
    const embed = renderEmbed({
      title: 'T'.repeat(300),
      description: 'D'.repeat(5000),
      fields: Array.from({ length: 30 }, (_, i) => ({ name: `N${i}`.repeat(100), value: 'v'.repeat(2000) })),
      footer: 'F'.repeat(3000),
    });
    expect(embed.title).toHaveLength(256);
    expect(embed.title?.endsWith('…')).toBe(true);
    expect(embed.fields?.length).toBeLessThanOrEqual(25);
    for (const f of embed.fields ?? []) {
      expect(f.name.length).toBeLessThanOrEqual(256);
      expect(f.value.length).toBeLessThanOrEqual(1024);
    }
    expect(embed.description?.length ?? 0).toBeLessThanOrEqual(4096);
    expect(embed.footer?.text.length ?? 0).toBeLessThanOrEqual(2048);
    expect(embedLength(embed)).toBeLessThanOrEqual(6000);
  });

  it('never sends empty field names or values', () => {
    const embed = renderEmbed({ title: 'T', fields: [{ name: '', value: '' }] });
    expect(embed.fields).toEqual([{ name: '-', value: '-', inline: false }]);
  });

  it('attaches the card image and references it from the embed; code goes as its file', () => {
    const [msg] = renderMessage({
      text: 'done',
      card: {
        title: 'Result',
        fields: [{ name: 'Trades', value: '12', inline: true }],
        image: { filename: 'equity chart.png', contentType: 'image/png', data: new Uint8Array([1, 2, 3]) },
      },
      code: { language: 'python', content: 'class S: pass\n', filename: 'BtcSma.py' },
    });
    expect(msg?.embeds[0]?.image?.url).toBe('attachment://equity_chart.png');
    expect(msg?.files.map((f) => f.name)).toEqual(['equity_chart.png', 'BtcSma.py']);
  });

  it('edits one message in place: text cut to 2,000 and old attachments replaced', () => {
    const edit = renderEdit({ text: 'x'.repeat(2500), progress: { key: 'k', state: 'running' } });
    expect(edit.content).toHaveLength(2000);
    expect(edit.attachments).toEqual([]);
  });
});

describe('discord render: components, modals, commands', () => {
  it('lays buttons out 5 per row, at most 5 rows, unique custom_ids, labels cut to 80', () => {
    const buttons: Button[] = Array.from({ length: 30 }, (_, i) => ({ label: `B${i}`, action: `say|${i}` }));
    buttons.push({ label: 'dup', action: 'say|0' });
    buttons[0] = { label: 'L'.repeat(100), action: 'say|0', style: 'danger', disabled: true };
    const rows = renderButtons(buttons);
    expect(rows).toHaveLength(5);
    expect(rows.every((r) => r.type === ComponentType.ActionRow && r.components.length === 5)).toBe(true);
    const first = rows[0]?.components[0];
    expect(first).toMatchObject({ custom_id: 'say|0', style: ButtonStyle.Danger, disabled: true });
    expect(first?.label).toHaveLength(80);
    const ids = rows.flatMap((r) => r.components.map((b) => b.custom_id));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('renders a form as a modal of at most 5 labelled text inputs keyed by field', () => {
    const modal = renderModal({
      title: 'Edit a strategy with a very long name indeed, longer than 45',
      submit: 'editok|abc',
      fields: Array.from({ length: 6 }, (_, i) => ({
        key: `k${i}`,
        label: `A label that is certainly longer than forty-five characters ${i}`,
        value: i === 0 ? '' : `v${i}`,
        multiline: i === 1,
      })),
    });
    expect(modal.custom_id).toBe('editok|abc');
    expect(modal.title.length).toBeLessThanOrEqual(45);
    expect(modal.components).toHaveLength(5);
    const [first, second] = modal.components;
    expect(first).toMatchObject({
      type: ComponentType.Label,
      component: { custom_id: 'k0', style: TextInputStyle.Short },
    });
    expect(first && 'label' in first ? first.label.length : 0).toBe(45);
    expect(first && 'component' in first && 'value' in first.component).toBe(false);
    expect(second).toMatchObject({
      component: { custom_id: 'k1', value: 'v1', style: TextInputStyle.Paragraph },
    });
  });

  it('registers every core command, with an "args" text option where the command takes arguments', () => {
    const commands = renderCommands(COMMANDS);
    expect(commands.map((c) => c.name)).toEqual(COMMANDS.map((c) => c.name));
    const help = commands.find((c) => c.name === 'help');
    const backtest = commands.find((c) => c.name === 'backtest');
    expect(help?.options).toEqual([]);
    expect(backtest?.options).toEqual([expect.objectContaining({ name: 'args', required: true })]);
    for (const c of commands) expect(c.description.length).toBeLessThanOrEqual(100);
  });
});
