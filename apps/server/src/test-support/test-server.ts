// A server over a new test store, listening on 127.0.0.1, and one call that takes both down again.
import { openStore, type Store } from '@signtrail/store';
import { pino } from 'pino';
import { createServer, type ServerOptions, type SignTrailServer } from '../create-server.js';
import { createLocation, type Driver } from './databases.js';

/** A running test server and its store. */
export interface TestServer {
  store: Store;
  server: SignTrailServer;
  url: string;
  /** Stops the server, closes the store and removes its location. */
  close(): Promise<void>;
}

/** Opens a store on a new `driver` location and starts a silent server over it on a free port. */
export async function startTestServer(
  driver: Driver,
  options: Omit<ServerOptions, 'store'> = {},
): Promise<TestServer> {
  const location = await createLocation(driver);
  const store = await openStore(location.options);
  const server = createServer({ logger: pino({ level: 'silent' }), ...options, store });
  const { url } = await server.start();
  return {
    store,
    server,
    url,
    async close() {
      await server.stop();
      await store.close();
      await location.drop();
    },
  };
}
