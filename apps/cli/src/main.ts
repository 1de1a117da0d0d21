import { HELP } from './help.js';
import { isClosedPipe } from './io.js';

// A reader that stops early (`signtrail … | head -1`) closes the pipe: the write fails with EPIPE, which ends
// the command quietly (run stops at its next write and exits 0) instead of crashing on the 'error' event.
// Any other error of the stream is thrown as before.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (!isClosedPipe(error)) throw error;
  });
}
// `signtrail`, `signtrail --help` and `signtrail <command> --help` answer before anything heavy loads.
const argv = process.argv.slice(2);
const command = argv[0];
if (argv.length === 0 || command === '--help' || command === '-h' || command === 'help') {
  process.stdout.write(HELP.main ?? '');
} else if ((argv.includes('--help') || argv.includes('-h')) && command && HELP[command]) {
  process.stdout.write(HELP[command] ?? '');
} else {
  const { run } = await import('./run.js');
  process.exitCode = await run(argv, {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
  });
}
