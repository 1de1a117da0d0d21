import { HELP } from './help.js';

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
