import { createServer } from 'node:http';

// The ceiling: a bare node:http server answering a fixed JSON body of the size of an eligibility response.
const body = process.env.BARE_BODY ?? '{}';
const port = Number(process.env.PORT ?? 0);
const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.keepAliveTimeout = 65_000;
server.listen(port, '127.0.0.1', () => {
  process.stdout.write(`bare listening ${(server.address() as { port: number }).port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
