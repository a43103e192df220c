// Builds the chat model from config: any OpenAI-compatible endpoint. No key means no model; the
// agent then works through the offline parser and says when a request needs a model. The client's own
// retries are off: agents/model-call.ts retries, and logs each try.
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { ChatOpenAI } from '@langchain/openai';
import type { Config } from '../src/config.ts';

/** The chat model and how many times a failed request is tried again (OPENAI_MAX_RETRIES). */
export type AgentModel = { chat: BaseChatModel; retries: number };

export function createChatModel(cfg: Config['openai']): AgentModel | undefined {
  if (!cfg.apiKey) return undefined;
  const chat = new ChatOpenAI({
    apiKey: cfg.apiKey,
    model: cfg.model,
    temperature: 0,
    timeout: cfg.timeoutMs,
    maxRetries: 0,
    configuration: cfg.baseUrl ? { baseURL: cfg.baseUrl } : undefined,
  });
  return { chat, retries: cfg.maxRetries };
}
