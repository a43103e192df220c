#!/usr/bin/env node
// `npx gentrade`: the command line for traders who script. The CLI is TypeScript (src/cli/main.ts);
// tsx's loader is registered in this process so it runs from source like the rest of GenTrade.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
