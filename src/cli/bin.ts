import { runCli } from './main.js';
import { processIo } from './io.js';

// Output piped into `head` and the like: the reader going away is not an error of ours.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });

const code = await runCli(process.argv.slice(2), processIo());
process.exitCode = code;
