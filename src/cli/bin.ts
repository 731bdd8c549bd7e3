import { processIo } from './io.js';

// Output piped into `head` and the like: the reader going away is not an error of ours.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });

const argv = process.argv.slice(2);
if (argv[0] === 'agent' && !argv.includes('--help') && !argv.includes('-h')) {
  // The host agent runs alone: it loads none of the server, the store or the stages.
  const { agentMain } = await import('../agent/main.js');
  process.exitCode = await agentMain(argv.slice(1));
} else {
  const { runCli } = await import('./main.js');
  process.exitCode = await runCli(argv, processIo());
}
