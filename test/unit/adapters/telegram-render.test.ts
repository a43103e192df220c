// Neutral messages -> Telegram sends: escaped HTML, cards, keyboards within 64-byte callback data,
// the 4,096-character and 1,024-character caption limits, images as photos and code as a file.
import { describe, expect, it } from 'vitest';
import { CAPTION_LIMIT, renderMessage, TEXT_LIMIT } from '../../../adapters/telegram/render.ts';
import type { Card, CardImage, OutgoingMessage } from '../../../src/core/types.ts';

const visible = (html: string) =>
  html
    .replace(/<\/?[bi]>/g, '')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');

const card: Card = {
  title: 'Backtest: <demo> & co',
  description: 'BTC/USDT on 1h',
  fields: [
    { name: 'Trades', value: '42' },
    { name: 'Win rate', value: '55%' },
  ],
  footer: 'Figures from Freqtrade.',
};

describe('telegram render', () => {
  it('asks for a forced reply to a form question, so it is seen in groups with privacy mode', () => {
    const [send] = renderMessage({ text: 'Edit x (1/5): Timeframe', expectsReply: true }).sends;
    expect(send).toMatchObject({ kind: 'text', forceReply: true });
    const [plain] = renderMessage({ text: 'hello' }).sends;
    expect(plain).not.toHaveProperty('forceReply');
  });

  it('renders text and a card as escaped HTML with a bold title and name: value lines', () => {
    const { sends } = renderMessage({ text: 'Created <x> & y', card });
    expect(sends).toEqual([
      {
        kind: 'text',
        html: [
          'Created &lt;x&gt; &amp; y',
          '',
          '<b>Backtest: &lt;demo&gt; &amp; co</b>',
          'BTC/USDT on 1h',
          'Trades: 42',
          'Win rate: 55%',
          '',
          '<i>Figures from Freqtrade.</i>',
        ].join('\n'),
      },
    ]);
  });

  it('builds an inline keyboard, leaving out disabled buttons and actions over 64 bytes', () => {
    const msg: OutgoingMessage = {
      text: 'Strategy s',
      buttons: [
        { label: 'Backtest', action: 'bt|0123456789abcdef01234567' },
        { label: 'Show code', action: 'code|0123456789abcdef01234567' },
        { label: 'Running', action: 'bt|x', disabled: true },
        { label: 'Too long', action: `say|${'é'.repeat(31)}` },
        { label: 'Create a BTC SMA 20/50 cross strategy on 1h', action: 'say|Create a BTC SMA' },
      ],
    };
    const { sends, dropped } = renderMessage(msg);
    expect(dropped).toEqual(['Too long']);
    const [first] = sends;
    expect(first?.kind === 'text' && first.keyboard).toEqual({
      inline_keyboard: [
        [
          { text: 'Backtest', callback_data: 'bt|0123456789abcdef01234567' },
          { text: 'Show code', callback_data: 'code|0123456789abcdef01234567' },
        ],
        [{ text: 'Create a BTC SMA 20/50 cross strategy on 1h', callback_data: 'say|Create a BTC SMA' }],
      ],
    });
  });

  it('splits text over 4,096 visible characters at line breaks, escaping without overflowing', () => {
    const lines = Array.from({ length: 400 }, (_, i) => `${i} ${'&'.repeat(20)}`);
    const { sends } = renderMessage({
      text: lines.join('\n'),
      buttons: [{ label: 'Again', action: 'help' }],
    });
    const texts = sends.flatMap((s) => (s.kind === 'text' ? [visible(s.html)] : []));
    expect(texts.length).toBeGreaterThan(1);
    for (const t of texts) expect(t.length).toBeLessThanOrEqual(TEXT_LIMIT);
    expect(texts.join('\n')).toBe(lines.join('\n'));
    // The keyboard rides on the last part only.
    expect(sends.map((s) => s.kind !== 'document' && s.keyboard !== undefined)).toEqual(
      sends.map((_, i) => i === sends.length - 1),
    );
  });

  it('cuts a single line with no break at the limit without splitting a surrogate pair', () => {
    const text = `${'a'.repeat(TEXT_LIMIT - 1)}😀${'b'.repeat(10)}`;
    const texts = renderMessage({ text }).sends.flatMap((s) => (s.kind === 'text' ? [s.html] : []));
    expect(texts).toEqual(['a'.repeat(TEXT_LIMIT - 1), `😀${'b'.repeat(10)}`]);
  });

  it('cuts a long line at a space, dropping only that space, also to fit a caption', () => {
    const words = Array.from({ length: 1200 }, (_, i) => `w${i}`).join(' ');
    const texts = renderMessage({ text: words }).sends.flatMap((s) => (s.kind === 'text' ? [s.html] : []));
    expect(texts.length).toBe(2);
    for (const t of texts) expect(t.length).toBeLessThanOrEqual(TEXT_LIMIT);
    expect(texts.join(' ')).toBe(words);
    const image: CardImage = { filename: 'eq.png', contentType: 'image/png', data: new Uint8Array(4) };
    const [photo, ...rest] = renderMessage({ text: '', card: { title: words, fields: [], image } }).sends;
    if (photo?.kind !== 'photo') throw new Error('no photo');
    expect(visible(photo.caption).length).toBeLessThanOrEqual(CAPTION_LIMIT);
    const after = rest.flatMap((s) => (s.kind === 'text' ? [s.html.replace(/<\/?b>/g, '')] : []));
    expect([visible(photo.caption), ...after].join(' ')).toBe(words);
  });

  it('sends a card image as a photo captioned with the card, the overflow as a follow-up', () => {
    const data = new Uint8Array([137, 80, 78, 71]);
    const fields = Array.from({ length: 60 }, (_, i) => ({ name: `Field ${i}`, value: 'x'.repeat(20) }));
    const { sends } = renderMessage({
      text: 'Backtest of s: done.',
      card: { ...card, fields, image: { filename: 'eq.png', contentType: 'image/png', data } },
      buttons: [{ label: 'Run again', action: 'help' }],
    });
    expect(sends.map((s) => s.kind)).toEqual(['text', 'photo', 'text']);
    const [status, photo, rest] = sends;
    expect(status).toEqual({ kind: 'text', html: 'Backtest of s: done.' });
    if (photo?.kind !== 'photo' || rest?.kind !== 'text') throw new Error('unexpected sends');
    expect(photo.file).toEqual({ data, filename: 'eq.png' });
    expect(visible(photo.caption).length).toBeLessThanOrEqual(CAPTION_LIMIT);
    expect(photo.caption.startsWith('<b>Backtest: &lt;demo&gt; &amp; co</b>')).toBe(true);
    expect(visible(`${photo.caption}\n${rest.html}`)).toContain('Field 59: ');
    expect(rest.keyboard?.inline_keyboard[0]?.[0]?.text).toBe('Run again');
  });

  it('sends code and attachments as documents after the text', () => {
    const { sends } = renderMessage({
      text: 's v1',
      code: { language: 'python', content: 'class S:\n    pass\n', filename: 'S.py' },
      attachments: [{ filename: 'r.json', contentType: 'application/json', data: new Uint8Array(3) }],
    });
    expect(sends.map((s) => (s.kind === 'document' ? s.file.filename : s.kind))).toEqual([
      'text',
      'S.py',
      'r.json',
    ]);
    const code = sends[1];
    expect(code?.kind === 'document' && new TextDecoder().decode(code.file.data)).toBe(
      'class S:\n    pass\n',
    );
  });
});
