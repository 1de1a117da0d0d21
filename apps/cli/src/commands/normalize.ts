import { readFile } from 'node:fs/promises';
import { foldNormalized } from '@signtrail/core';
import { CliFailure, UsageError } from '../errors.js';
import { printResult } from '../output.js';
import type { CommandContext } from '../run.js';
import { requireVendor, settingsOf } from '../vendors.js';

/** `signtrail normalize --vendor V [FILE|-]`: offline, no credentials. */
export default async function normalize(ctx: CommandContext): Promise<void> {
  const entry = requireVendor(ctx.values.vendor as string | undefined);
  if (ctx.positionals.length > 1) throw new UsageError('normalize takes one FILE (or - for stdin)');
  const file = ctx.positionals[0] ?? '-';
  if (file === '-' && ctx.io.stdin.isTTY)
    throw new UsageError('no input: give a FILE or pipe the payload into stdin');
  const text = file === '-' ? await readStdin(ctx.io.stdin) : await readInput(file);
  const where = file === '-' ? 'stdin' : file;
  if (text.trim() === '')
    throw new CliFailure(`${where} is empty: expected a ${entry.vendor} payload (JSON)`);
  let payload: unknown;
  try {
    payload = JSON.parse(text);
  } catch (error) {
    throw new CliFailure(`${where} is not valid JSON: ${(error as Error).message}`);
  }
  const options = settingsOf(entry, ctx.io.env, ctx.config);
  const zone = ctx.values['time-zone'];
  if (typeof zone === 'string') {
    if (!('timeZone' in entry.settings))
      throw new UsageError(`--time-zone does not apply to ${entry.vendor}`);
    options.timeZone = zone;
  }
  const result = (await entry.create(options)).normalize(payload);
  for (const warning of result.warnings) ctx.warn(`signtrail: warning: ${warning.message}`);
  printResult(ctx.write, result.events, foldNormalized(result, entry.vendor), ctx.output);
}

async function readInput(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliFailure(`cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (code ?? 'error')}`);
  }
}

async function readStdin(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return Buffer.concat(chunks).toString('utf8');
}
