/**
 * A node:tls server as a program of its own, for the fixtures another Node must run: the
 * post-quantum tests start it with Node 24 (OpenSSL 3.5 serves X25519MLKEM768 and friends,
 * Node 20's OpenSSL 3.0 cannot). Usage: `node tlsServerMain.js '<json>'` with
 * `{cert, key, options}` (PEM paths and tls.createServer options); it listens on 127.0.0.1,
 * prints `LISTENING <port>` and exits when its stdin closes, so it never outlives the test.
 * Imports nothing but node: built-ins, so any Node can run the compiled file.
 */
import { readFileSync } from 'node:fs';
import tls from 'node:tls';

interface Config {
  cert: string;
  key: string;
  options?: tls.TlsOptions;
}

const config = JSON.parse(process.argv[2] ?? '{}') as Config;
const server = tls.createServer({ ...config.options, cert: readFileSync(config.cert), key: readFileSync(config.key) }, (socket) => {
  socket.on('error', () => {});
  socket.on('data', () => {});
});
server.on('tlsClientError', () => {});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`LISTENING ${typeof address === 'object' && address ? address.port : 0} ${process.version} ${process.versions.openssl}\n`);
});
process.stdin.on('end', () => process.exit(0));
process.stdin.on('error', () => process.exit(0));
process.stdin.resume();
