import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built binary, run exactly as users run it. */
export const BIN = fileURLToPath(new URL('../../bin/signtrail.js', import.meta.url));

/** What one `signtrail` run printed and how it exited. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The built `signtrail` binary as a subprocess with only the given environment (plus PATH). */
function spawnCli(args: string[], options: { env?: Record<string, string>; cwd?: string }) {
  return spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', ...options.env },
    cwd: options.cwd,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Runs the built `signtrail` binary as a subprocess with only the given environment (plus PATH). */
export function runCli(
  args: string[],
  options: { env?: Record<string, string>; input?: string; cwd?: string } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args, options);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/** Parses NDJSON output, one object per line. */
export function ndjson<T = Record<string, unknown>>(text: string): T[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);
}

/** What a run whose stdout reader went away printed on stderr and how it exited. */
export interface ClosedPipeRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  /** Bytes of stdout read before the reader closed. */
  received: number;
}

/**
 * Runs the built binary with stdout piped into a reader that closes it early, as `signtrail … | head -c N`
 * does: at once (`afterBytes: 0`, before the command writes anything), or as soon as `afterBytes` arrived.
 */
export function runCliClosingStdout(
  args: string[],
  options: { afterBytes: number; env?: Record<string, string>; cwd?: string },
): Promise<ClosedPipeRun> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args, options);
    child.stdin.end();
    let stderr = '';
    let received = 0;
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    if (options.afterBytes === 0) child.stdout.destroy();
    else {
      child.stdout.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received >= options.afterBytes) child.stdout.destroy();
      });
    }
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr, received }));
  });
}

/** Runs `signtrail` in this process with a terminal-like stdout (the table format) and buffered output. */
export async function runOnTerminal(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  const { PassThrough } = await import('node:stream');
  const { run } = await import('../run.js');
  const collect = (tty: boolean) => {
    const stream = Object.assign(new PassThrough(), { isTTY: tty });
    let text = '';
    stream.on('data', (chunk) => {
      text += chunk;
    });
    return { stream, text: () => text };
  };
  const stdout = collect(true);
  const stderr = collect(false);
  const stdin = Object.assign(new PassThrough(), { isTTY: true });
  const code = await run(args, { stdout: stdout.stream, stderr: stderr.stream, stdin, env });
  await new Promise((resolve) => setImmediate(resolve));
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}
