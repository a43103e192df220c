// Delivers messages that don't answer an incoming event (job progress and results) to the chat that
// asked. Adapters register a sink for their platform; jobs only know the ChatAddress.
import type { Logger } from 'pino';
import type { ChatAddress, OutgoingMessage } from './core/types.ts';

export type ChatSink = { deliver(address: ChatAddress, message: OutgoingMessage): Promise<void> };

export type Notifier = {
  register(platform: string, sink: ChatSink): void;
  notify(address: ChatAddress, message: OutgoingMessage): Promise<boolean>;
};

export function createNotifier(deps: { logger: Logger }): Notifier {
  const sinks = new Map<string, ChatSink>();
  return {
    register(platform, sink) {
      sinks.set(platform, sink);
    },
    async notify(address, message) {
      const sink = sinks.get(address.platform);
      if (!sink) {
        // The platform isn't running in this process (e.g. a worker); the result stays retrievable with /show.
        deps.logger.warn({ platform: address.platform }, 'no adapter for platform; message not delivered');
        return false;
      }
      try {
        await sink.deliver(address, message);
        return true;
      } catch (err) {
        deps.logger.error({ err, platform: address.platform }, 'delivery failed');
        return false;
      }
    },
  };
}
