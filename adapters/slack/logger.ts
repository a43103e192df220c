// Bolt, the Web API client and the Socket Mode client log through this bridge into our pino logger,
// so signature rejections and rate-limit waits land in the same JSON log as everything else.
import { format } from 'node:util';
import { type Logger as BoltLogger, LogLevel } from '@slack/bolt';
import type { Logger } from 'pino';

function levelOf(logger: Logger): LogLevel {
  if (logger.isLevelEnabled('debug')) return LogLevel.DEBUG;
  if (logger.isLevelEnabled('info')) return LogLevel.INFO;
  if (logger.isLevelEnabled('warn')) return LogLevel.WARN;
  return LogLevel.ERROR;
}

export function boltLogger(logger: Logger): BoltLogger {
  return {
    debug: (...msg: unknown[]) => logger.debug(format(...msg)),
    info: (...msg: unknown[]) => logger.info(format(...msg)),
    warn: (...msg: unknown[]) => logger.warn(format(...msg)),
    error: (...msg: unknown[]) => logger.error(format(...msg)),
    // The level is set once, in config; Bolt asks for it, it doesn't get to change it.
    setLevel: () => {},
    getLevel: () => levelOf(logger),
    setName: () => {},
  };
}
