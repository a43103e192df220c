// Finding strategy code in chat text: fenced blocks, bare pasted files, and what is not code at all.
import { describe, expect, it } from 'vitest';
import {
  extractStrategyCode,
  splitClassName,
  staticTimeframe,
  strategyClassOf,
} from '../../../../src/core/handlers/import-extract.ts';

const STRATEGY = [
  'from freqtrade.strategy import IStrategy',
  'from pandas import DataFrame',
  '',
  '',
  'class MyEdge(IStrategy):',
  '    timeframe = "4h"',
  '    stoploss = -0.1',
  '',
].join('\n');

describe('extractStrategyCode', () => {
  it('takes a ```python block and keeps the words around it as prose', () => {
    const found = extractStrategyCode(`Please import this for ETH:\n\`\`\`python\n${STRATEGY}\`\`\`\nthanks`);
    expect(found?.code).toBe(STRATEGY);
    expect(found?.prose).toBe('Please import this for ETH:\n \nthanks');
  });

  it('takes an unlabelled block that reads as Python, also when Slack puts code right after the fence', () => {
    expect(extractStrategyCode(`\`\`\`\n${STRATEGY}\`\`\``)?.code).toBe(STRATEGY);
    expect(extractStrategyCode(`\`\`\`${STRATEGY}\`\`\``)?.code).toBe(STRATEGY);
  });

  it('prefers the block that defines the strategy class', () => {
    const text = `\`\`\`python\nimport math\n\`\`\`\nand\n\`\`\`py\n${STRATEGY}\`\`\``;
    expect(extractStrategyCode(text)?.code).toBe(STRATEGY);
  });

  it('takes a python block without a strategy class too, so the pipeline can say what is missing', () => {
    expect(extractStrategyCode('```python\nimport math\nx = 1\n```')?.code).toBe('import math\nx = 1\n');
  });

  it('takes a whole pasted file from its first line of Python', () => {
    const found = extractStrategyCode(`my strategy, for SOL\n# header comment\n${STRATEGY}`);
    expect(found?.code).toBe(`# header comment\n${STRATEGY}`);
    expect(found?.prose).toBe('my strategy, for SOL');
  });

  it('ignores chat without code, blocks that are not Python, and classes that are not strategies', () => {
    expect(extractStrategyCode('create a BTC SMA 20/50 cross on 1h')).toBeNull();
    expect(extractStrategyCode('```\n2024-01-01 ERROR something broke\n```')).toBeNull();
    expect(extractStrategyCode('```json\n{"timeframe": "1h"}\n```')).toBeNull();
    expect(extractStrategyCode('class Helper(object):\n    pass\n')).toBeNull();
  });

  it('keeps the indentation of the first code line', () => {
    expect(extractStrategyCode('```python\n\n    x = 1\n```')?.code).toBe('    x = 1\n');
  });
});

describe('static reads', () => {
  it('finds the strategy class among other classes, and its timeframe', () => {
    const code = `class Helper:\n    pass\n\n${STRATEGY.replace('(IStrategy)', '(strategy.IStrategy)')}`;
    expect(strategyClassOf(code)).toBe('MyEdge');
    expect(staticTimeframe(code)).toBe('4h');
    expect(staticTimeframe("class A(IStrategy):\n    timeframe: str = '15m'\n")).toBe('15m');
    expect(strategyClassOf('x = 1')).toBeNull();
  });

  it('splits a class name into words for a kebab-case strategy name', () => {
    expect(splitClassName('BollingerMfiInformative')).toBe('Bollinger Mfi Informative');
    expect(splitClassName('MACDCross_v2')).toBe('MACD Cross v2');
    expect(splitClassName('Rsi14Dip')).toBe('Rsi14 Dip');
  });
});
