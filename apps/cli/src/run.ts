import { parseArgs } from 'node:util';
import { type FileConfig, readConfigFile } from './config.js';
import { describeError, exitCodeOf, UsageError } from './errors.js';
import { HELP } from './help.js';
import { type CliIo, isClosedPipe, streamError } from './io.js';
import type { OutputFormat, OutputOptions } from './output.js';
import { vendorEntry } from './vendors.js';

/** Everything a command needs: parsed flags, positionals, output options, config and IO. */
export interface CommandContext {
  io: CliIo;
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  output: OutputOptions;
  config: FileConfig;
  write: (text: string) => void;
  warn: (line: string) => void;
}

const OPTIONS = {
  vendor: { type: 'string' },
  from: { type: 'string' },
  to: { type: 'string' },
  filter: { type: 'string', multiple: true },
  tenant: { type: 'string' },
  name: { type: 'string' },
  process: { type: 'string' },
  'database-url': { type: 'string' },
  'time-zone': { type: 'string' },
  seed: { type: 'string' },
  processes: { type: 'string' },
  config: { type: 'string' },
  json: { type: 'boolean' },
  ndjson: { type: 'boolean' },
  csv: { type: 'boolean' },
  raw: { type: 'boolean' },
  'show-pii': { type: 'boolean' },
  debug: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const COMMANDS: Record<string, () => Promise<{ default: (ctx: CommandContext) => Promise<void> }>> = {
  normalize: () => import('./commands/normalize.js'),
  log: () => import('./commands/log.js'),
  status: () => import('./commands/log.js'),
  activity: () => import('./commands/activity.js'),
  sync: () => import('./commands/sync.js'),
  export: () => import('./commands/export.js'),
  sandbox: () => import('./commands/sandbox.js'),
  admin: () => import('./commands/admin.js'),
};

/** Thrown by `write` once stdout's reader has gone away: the command stops, quietly, with exit code 0. */
class StdoutClosed extends Error {
  override name = 'StdoutClosed';
}

/**
 * Runs one `signtrail` invocation and returns its exit code. When stdout's reader goes away (EPIPE, as with
 * `signtrail … | head`), the next write ends the command (its `finally` blocks run) and the exit code is 0;
 * a write that fails after `run` returned is the caller's to handle (`main` ignores EPIPE).
 */
export async function run(argv: string[], io: CliIo): Promise<number> {
  const warn = (line: string) => io.stderr.write(`${line}\n`);
  const write = (text: string) => {
    if (isClosedPipe(streamError(io.stdout))) throw new StdoutClosed('stdout was closed');
    io.stdout.write(text);
  };
  let debug = argv.includes('--debug');
  let credentialHints: string[] | undefined;
  try {
    const [command, ...rest] = argv;
    if (!command || !COMMANDS[command])
      throw new UsageError(`unknown command ${JSON.stringify(command ?? '')}; see signtrail --help`);
    const parsed = parseFlags(rest);
    debug = parsed.values.debug === true;
    if (parsed.values.help) {
      write(HELP[command] ?? HELP.main ?? '');
      return 0;
    }
    const configPath = (parsed.values.config as string | undefined) ?? io.env.SIGNTRAIL_CONFIG;
    const vendorName = command === 'normalize' ? parsed.values.vendor : parsed.positionals[0];
    if (typeof vendorName === 'string') credentialHints = vendorEntry(vendorName)?.credentialEnv;
    const ctx: CommandContext = {
      io,
      values: { ...parsed.values, command },
      positionals: parsed.positionals,
      output: outputOptions(parsed.values, io),
      config: readConfigFile(configPath, warn),
      write,
      warn,
    };
    const { default: execute } = await COMMANDS[command]!();
    await execute(ctx);
    return 0;
  } catch (error) {
    if (error instanceof StdoutClosed) return 0;
    warn(`signtrail: ${describeError(error, { credentials: credentialHints })}`);
    if (debug && error instanceof Error && error.stack) warn(error.stack);
    return exitCodeOf(error);
  }
}

function parseFlags(args: string[]) {
  try {
    return parseArgs({ args, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    const flag = /'(--?[\w-]+)/.exec((error as Error).message)?.[1] ?? '';
    if (/key|token|secret|password|credential/i.test(flag)) {
      throw new UsageError(
        `${flag}: credentials are not taken from the command line (they would land in shell history); set the SIGNTRAIL_* environment variables or use --config FILE`,
      );
    }
    throw new UsageError(`${(error as Error).message.split('\n')[0]}; see signtrail --help`);
  }
}

function outputOptions(values: Record<string, unknown>, io: CliIo): OutputOptions {
  const chosen = (['json', 'ndjson', 'csv'] as const).filter((f) => values[f] === true);
  if (chosen.length > 1) throw new UsageError(`choose one output format, not --${chosen.join(' and --')}`);
  const format: OutputFormat = chosen[0] ?? (io.stdout.isTTY ? 'table' : 'ndjson');
  return { format, raw: values.raw === true, showPii: values['show-pii'] === true };
}
