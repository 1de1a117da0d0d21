/** What a command reads from and writes to; the real process in `main`, buffers in tests. */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

/**
 * True when a write failed because the reader went away (`signtrail … | head -1` closes the pipe): the
 * output is no longer wanted, which is not a failure of the command. Kept free of imports: `main` uses it.
 */
export function isClosedPipe(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | null | undefined)?.code === 'EPIPE';
}

/** The error a stream failed with, once it has (Node sets `errored` as soon as a write fails). */
export function streamError(stream: NodeJS.WritableStream): unknown {
  return (stream as { errored?: unknown }).errored ?? undefined;
}
