import { describe, expect, it } from '@jest/globals';
import { parseOptions, type OptionSpec } from './command-options.js';

const SPECS: Record<string, OptionSpec> = {
  env: {},
  output: { choices: ['yaml', 'json'], short: 'o' },
  'show-secrets': { flag: true },
};

describe('parseOptions (util.parseArgs underneath)', () => {
  it.each([
    [['chart', '--env', 'e.json'], { env: 'e.json' }, ['chart']],
    [['--env=e.json', 'chart'], { env: 'e.json' }, ['chart']],
    [['-o', 'json', 'chart', '--show-secrets'], { output: 'json', 'show-secrets': 'true' }, ['chart']],
    [['-', '--', '--env', '-x'], {}, ['-', '--env', '-x']],
    [['--env', '--output'], { env: '--output' }, []],
  ])('%j → options %j, positionals %j', (args, options, positional) => {
    const parsed = parseOptions(args, SPECS);
    expect(parsed).toEqual({ ok: true, options: new Map(Object.entries(options)), positional });
  });

  it.each([
    [['--bogus', 'x'], 'unknown option --bogus'],
    [['-z'], 'unknown option -z'],
    [['chart', '--env'], '--env needs a value'],
    [['--show-secrets=yes'], '--show-secrets takes no value'],
    [['--output', 'toml'], '--output must be one of yaml, json (got "toml")'],
    [['-o', 'xml'], '-o must be one of yaml, json (got "xml")'],
  ])('refuses %j: %s', (args, message) => {
    expect(parseOptions(args, SPECS)).toEqual({ ok: false, message });
  });
});
