// Builds the chat model from config: any OpenAI-compatible endpoint. No key means no model; the
// agent then works through the offline parser and says when a request needs a model.
import { ChatOpenAI } from '@langchain/openai';
import type { Config } from '../src/config.ts';

export function createChatModel(cfg: Config['openai']): ChatOpenAI | undefined {
  if (!cfg.apiKey) return undefined;
  return new ChatOpenAI({
    apiKey: cfg.apiKey,
    model: cfg.model,
    temperature: 0,
    timeout: cfg.timeoutMs,
    maxRetries: cfg.maxRetries,
    configuration: cfg.baseUrl ? { baseURL: cfg.baseUrl } : undefined,
  });
}
