// A Bolt receiver on the app's one HTTP server (instead of Bolt's own HTTPReceiver and its port): it
// checks X-Slack-Signature over the body exactly as sent and refuses stale or forged requests with 401
// before Bolt sees them, answers Slack's URL check, and hands Bolt each request with an ack that
// becomes the HTTP answer (Slack wants one within 3 s; the listener carries on after it).
import { type App, isValidSlackRequest, type Receiver } from '@slack/bolt';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { WebhookMount, WebhookRequest, WebhookResponse } from '../../src/core/ports.ts';
import { SLACK_PLATFORM } from './inbound.ts';

/** Slack retries a request it got no answer to within 3 s; answer a little before. */
const ACK_WAIT_MS = 2_500;

const BodySchema = z.record(z.string(), z.unknown());
type Body = z.infer<typeof BodySchema>;

/** Slash commands and interactions come form-encoded (interactions as a JSON `payload`); events as JSON. */
function parseBody(contentType: string | undefined, raw: string): Body | undefined {
  try {
    if (contentType?.startsWith('application/x-www-form-urlencoded')) {
      const form = new URLSearchParams(raw);
      const payload = form.get('payload');
      const parsed = BodySchema.safeParse(payload ? JSON.parse(payload) : Object.fromEntries(form));
      return parsed.success ? parsed.data : undefined;
    }
    const parsed = BodySchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

function answer(response: unknown): WebhookResponse {
  if (response === undefined || response === null || response === '') return { status: 200 };
  if (typeof response === 'string')
    return { status: 200, headers: { 'content-type': 'text/plain' }, body: response };
  return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(response) };
}

export function createMountedReceiver(opts: {
  signingSecret: string;
  webhooks: WebhookMount;
  logger: Logger;
}): Receiver {
  let bolt: App | undefined;

  async function handle(req: WebhookRequest): Promise<WebhookResponse> {
    const signature = req.headers['x-slack-signature'];
    const timestamp = Number(req.headers['x-slack-request-timestamp']);
    const signed =
      signature !== undefined &&
      Number.isFinite(timestamp) &&
      isValidSlackRequest({
        signingSecret: opts.signingSecret,
        body: req.body,
        headers: { 'x-slack-signature': signature, 'x-slack-request-timestamp': timestamp },
      });
    if (!signed) return { status: 401 };
    const body = parseBody(req.headers['content-type'], req.body);
    if (!body) return { status: 400 };
    if (body.type === 'url_verification') return answer({ challenge: body.challenge });
    if (body.ssl_check) return { status: 200 };
    const app = bolt;
    if (!app) return { status: 503 };
    const retryNum = Number(req.headers['x-slack-retry-num']);
    const retryReason = req.headers['x-slack-retry-reason'];
    return new Promise<WebhookResponse>((resolve) => {
      let done = false;
      const finish = (res: WebhookResponse) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        resolve(res);
      };
      const timer = setTimeout(() => finish({ status: 200 }), ACK_WAIT_MS);
      app
        .processEvent({
          body,
          ack: async (response?: unknown) => finish(answer(response)),
          ...(Number.isFinite(retryNum) ? { retryNum } : {}),
          ...(retryReason ? { retryReason } : {}),
        })
        .then(
          () => finish({ status: 200 }),
          (err: unknown) => {
            opts.logger.error({ err }, 'slack request failed');
            finish({ status: 500 });
          },
        );
    });
  }

  return {
    init(app) {
      bolt = app;
    },
    async start() {
      opts.webhooks.mount(SLACK_PLATFORM, handle);
    },
    async stop() {
      opts.webhooks.unmount(SLACK_PLATFORM);
    },
  };
}
