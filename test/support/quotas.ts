// Quotas out of the way for tests about something else: each of those drives one test user through
// more than a trader would do in a minute. Quota tests set their own limits over these.
export const ROOMY_QUOTAS: Record<string, string> = Object.fromEntries(
  ['GUEST', 'LINKED'].flatMap((who) =>
    ['BACKTESTS_PER_DAY', 'BACKTESTS_AT_ONCE', 'STRATEGIES_PER_HOUR', 'MESSAGES_PER_MINUTE'].map((what) => [
      `QUOTA_${who}_${what}`,
      '1000',
    ]),
  ),
);
