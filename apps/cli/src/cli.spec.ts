import { describe, expect, it } from '@jest/globals';
import type { CliCommand, CliIo } from './cli-command.js';
import { runCli } from './cli.js';

function recorder(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { cwd: '/', out, err, stdout: (line) => out.push(line), stderr: (line) => err.push(line) };
}

const calls: (readonly string[])[] = [];
const echo: CliCommand = {
  group: 'template',
  name: 'render',
  summary: 'Render a template.',
  usage: '<file>',
  details: ['More words.'],
  run(args) {
    calls.push(args);
    return Promise.resolve(args.length);
  },
};
const broken: CliCommand = {
  group: 'template',
  name: 'explode',
  summary: 'Always fails.',
  usage: '',
  run() {
    return Promise.reject(new Error('boom'));
  },
};
const schemaCalls: (readonly string[])[] = [];
const single: CliCommand = {
  group: 'schema',
  summary: 'A command without a name.',
  usage: '',
  run(args) {
    schemaCalls.push(args);
    return Promise.resolve(0);
  },
};
const commands = [echo, broken];

describe('runCli', () => {
  it('dispatches fasit <group> <command> with the remaining arguments and returns its exit code', async () => {
    const io = recorder();
    expect(await runCli(['template', 'render', 'a', 'b'], commands, io)).toBe(2);
    expect(calls.at(-1)).toEqual(['a', 'b']);
  });

  it('lists every command for --help and exits 0', async () => {
    const io = recorder();
    expect(await runCli(['--help'], commands, io)).toBe(0);
    expect(io.out).toEqual([
      'usage: fasit <group> <command> [args]   (fasit <group> <command> --help for details; fasit --version)',
      '',
      '  template render   Render a template.',
      '  template explode  Always fails.',
    ]);
  });

  it('shows a command its usage for --help instead of running it', async () => {
    const io = recorder();
    const before = calls.length;
    expect(await runCli(['template', 'render', '--help'], commands, io)).toBe(0);
    expect(io.out).toEqual(['usage: fasit template render <file>', '', 'Render a template.', 'More words.']);
    expect(calls).toHaveLength(before);
  });

  it.each([
    [[], ''],
    [['nope'], 'fasit: unknown command group "nope"'],
    [['template'], 'usage: fasit <group> <command> [args]   (fasit <group> <command> --help for details; fasit --version)'],
    [['template', 'nope'], 'fasit: unknown command "template nope"'],
  ])('exits 2 with usage for %j', async (argv, firstError) => {
    const io = recorder();
    expect(await runCli(argv, commands, io)).toBe(2);
    if (firstError !== '') expect(io.err[0]).toBe(firstError);
    expect([...io.out, ...io.err].join('\n')).toContain('template render');
  });

  it('prints the version for --version and -V', async () => {
    for (const flag of ['--version', '-V']) {
      const io = recorder();
      expect(await runCli([flag], commands, io, '1.2.3')).toBe(0);
      expect([io.out, io.err]).toEqual([['1.2.3'], []]);
    }
  });

  it('runs a command without a name as fasit <group> [args], and shows its usage for --help', async () => {
    const io = recorder();
    expect(await runCli(['schema'], [...commands, single], io)).toBe(0);
    expect(await runCli(['schema', 'x'], [...commands, single], io)).toBe(0);
    expect(schemaCalls).toEqual([[], ['x']]);
    const help = recorder();
    expect(await runCli(['schema', '--help'], [...commands, single], help)).toBe(0);
    expect(help.out).toEqual(['usage: fasit schema', '', 'A command without a name.']);
    expect(schemaCalls).toHaveLength(2);
  });

  it('refuses an unknown top-level option', async () => {
    const io = recorder();
    expect(await runCli(['--verbose'], commands, io)).toBe(2);
    expect(io.err[0]).toBe('fasit: unknown command option "--verbose"');
  });

  it('turns an exception in a command into one line and exit 1', async () => {
    const io = recorder();
    expect(await runCli(['template', 'explode'], commands, io)).toBe(1);
    expect(io.err).toEqual(['fasit template explode: boom']);
  });
});
