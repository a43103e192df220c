// Neutral messages -> Slack payloads within Block Kit's limits.

import type { types } from '@slack/bolt';
import { describe, expect, it } from 'vitest';
import { renderMessage, renderModal } from '../../../adapters/slack/render.ts';

const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);

function actions(blocks: types.KnownBlock[]) {
  return blocks.flatMap((b) => (b.type === 'actions' ? [b.elements] : []));
}

describe('slack render', () => {
  it('splits text at line breaks into sections of at most 3000 characters', () => {
    const sectionTexts = (text: string) =>
      renderMessage({ text }).posts.flatMap((p) =>
        p.blocks.flatMap((b) => (b.type === 'section' && b.text ? [b.text.text] : [])),
      );
    const text = Array.from({ length: 100 }, (_, i) => `${i} ${'x'.repeat(95)}`).join('\n');
    const pieces = sectionTexts(text);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.every((p) => p.length <= 3000)).toBe(true);
    expect(pieces.join('\n')).toBe(text);
    expect(sectionTexts('y'.repeat(7000)).map((p) => p.length)).toEqual([3000, 3000, 1000]);
  });

  it('renders a card: header, fields in tens, footer, escaped mrkdwn', () => {
    const { posts, shares } = renderMessage({
      text: 'Result',
      card: {
        title: 'h'.repeat(200),
        fields: Array.from({ length: 13 }, (_, i) => ({
          name: `F${i}`,
          value: i === 0 ? '<b> & c' : 'v'.repeat(3000),
        })),
        footer: 'Figures from Freqtrade.',
      },
    });
    expect(shares).toEqual([]);
    const blocks = posts[0]?.blocks ?? [];
    expect(blocks.map((b) => b.type)).toEqual(['section', 'header', 'section', 'section', 'context']);
    const header = blocks[1];
    expect(header?.type === 'header' && header.text.text.length).toBe(150);
    const fields = blocks.flatMap((b) => (b.type === 'section' ? (b.fields ?? []) : []));
    expect(fields.map((f) => f.text.length).every((n) => n <= 2000)).toBe(true);
    expect(fields[0]?.text).toBe('*F0*\n&lt;b&gt; &amp; c');
  });

  it('puts buttons in actions blocks of 25 with unique ids, leaving disabled ones out', () => {
    const buttons = Array.from({ length: 30 }, (_, i) => ({
      label: `${i} ${'l'.repeat(100)}`,
      action: `say|${i}`,
      disabled: i === 29,
      style: i === 0 ? ('primary' as const) : ('secondary' as const),
    }));
    const [post] = renderMessage({ text: 'pick', buttons }).posts;
    const rows = actions(post?.blocks ?? []);
    expect(rows.map((r) => r.length)).toEqual([25, 4]);
    const all = rows.flat();
    expect(new Set(all.map((e) => e.type === 'button' && e.action_id)).size).toBe(29);
    const first = all[0];
    expect(first?.type === 'button' && [first.value, first.style, first.text.text.length]).toEqual([
      'say|0',
      'primary',
      75,
    ]);
    const second = all[1];
    expect(second?.type === 'button' && second.style).toBeUndefined();
  });

  it('splits more than 50 blocks into several posts, each with fallback text', () => {
    const { posts } = renderMessage({ text: 'z'.repeat(3000 * 60) });
    expect(posts.map((p) => p.blocks.length)).toEqual([50, 10]);
    expect(posts.every((p) => p.text.length > 0 && p.text.length <= 3000)).toBe(true);
  });

  it('shares a chart, code and attachments as plain files; the card and its buttons go in the post', () => {
    const { posts, shares } = renderMessage({
      text: 'Backtest of x: done.',
      card: {
        title: 'Backtest: x',
        fields: [{ name: 'Trades', value: '12' }],
        image: { filename: 'equity.png', contentType: 'image/png', data: png },
      },
      buttons: [{ label: 'Run again', action: 'rerun|0123456789abcdef01234567' }],
      code: { language: 'python', content: 'print(1)\n', filename: 'X.py' },
      attachments: [{ filename: 'trades.csv', contentType: 'text/csv', data: png }],
    });
    expect(posts).toHaveLength(1);
    // No interactive blocks on a file share: files.completeUploadExternal documents rich text only.
    expect(posts[0]?.blocks.map((b) => b.type)).toEqual(['section', 'header', 'section', 'actions']);
    expect(shares.map((s) => s.filename)).toEqual(['equity.png', 'X.py', 'trades.csv']);
    expect(shares.every((s) => Object.keys(s).sort().join() === 'data,filename')).toBe(true);
    expect(new TextDecoder().decode(shares[1]?.data)).toBe('print(1)\n');
  });

  it('never posts an empty message', () => {
    const { posts } = renderMessage({
      text: '',
      code: { language: 'python', content: 'x', filename: 'A.py' },
    });
    expect(posts[0]?.text).toBe('A.py');
  });

  it('renders a form as a modal: keys as ids, at most 5 inputs, short title', () => {
    const view = renderModal(
      {
        title: 'Edit btc-sma-20-50-1h strategy',
        submit: 'editok|0123456789abcdef01234567',
        fields: Array.from({ length: 6 }, (_, i) => ({
          key: `k${i}`,
          label: `L${i}`,
          value: i ? `${i}` : '',
          multiline: i === 1,
        })),
      },
      '{"c":"D1"}',
    );
    expect(view.callback_id).toBe('editok|0123456789abcdef01234567');
    expect(view.private_metadata).toBe('{"c":"D1"}');
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    expect(view.blocks).toHaveLength(5);
    const input = view.blocks[1];
    expect(input?.block_id).toBe('k1');
    expect(input?.element).toMatchObject({
      type: 'plain_text_input',
      action_id: 'k1',
      initial_value: '1',
      multiline: true,
    });
  });
});
