/**
 * Browser mode: `npm run serve [-- --port N] `. The same renderer as the desktop app, with the
 * bridge over HTTP on 127.0.0.1, for headless servers (`ssh -L`) and end-to-end tests.
 */
import { resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { createBridgeService } from './services/bridge-service';
import { startBrowserServer } from './services/browser-server';
import { APP_VERSION } from './services/app-version';
import { createLocalDevices, DETECT_REPLAY_ENV } from './services/local-devices';
import { reportThrown } from './services/unexpected-error';

/**
 * A defect that escapes a request (a throw in a callback) ends the server with one line and
 * exit code 3, as the CLI does; bad input never reaches here (each request answers it).
 */
function exitUnexpected(thrown: unknown): void {
  process.exitCode = reportThrown('headroom serve', thrown, (text) => process.stderr.write(text));
  process.exit();
}
process.on('uncaughtException', exitUnexpected);
process.on('unhandledRejection', exitUnexpected);

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new InvalidArgumentError('a port is a whole number from 0 to 65535 (0 = any free port).');
  }
  return port;
}

const program = new Command('headroom-serve')
  .description('Serve the Headroom workbench in a browser, on 127.0.0.1 only.')
  .version(APP_VERSION)
  .option('--port <port>', 'port to listen on (0 = a free port)', parsePort, 0)
  .option('--renderer-dir <dir>', 'folder of the built renderer', 'out/renderer')
  .option(
    '--replay <dir>',
    'show the devices of a `headroom detect --dump` recording instead of this machine',
  )
  .parse();

const options = program.opts<{ port: number; rendererDir: string; replay?: string }>();
try {
  const server = await startBrowserServer({
    rendererDir: resolve(options.rendererDir),
    bridge: createBridgeService('browser', {
      localDevices: createLocalDevices(
        options.replay
          ? { ...process.env, [DETECT_REPLAY_ENV]: resolve(options.replay) }
          : process.env,
      ),
    }),
    port: options.port,
  });
  process.stdout.write(
    `Headroom is serving on ${server.url}\n(only from this machine; over SSH: ssh -L ${server.port}:127.0.0.1:${server.port} host)\n`,
  );
  const stop = (): void => void server.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (thrown) {
  // A port in use or a bad folder is the user's to fix (exit 2); anything else is a bug (3).
  const known = (thrown as NodeJS.ErrnoException).code;
  const userProblem = known === 'EADDRINUSE' || known === 'EACCES' || known === 'ENOENT';
  if (userProblem) {
    process.stderr.write(`headroom serve: ${(thrown as Error).message}\n`);
    process.exit(2);
  }
  process.exit(reportThrown('headroom serve', thrown, (text) => process.stderr.write(text)));
}
