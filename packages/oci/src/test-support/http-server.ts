// A tiny HTTP server on 127.0.0.1 for unit tests that need a peer speaking HTTP: registry error shapes and the
// bearer-token flow. Tests that use it say so in their names ("local stand-in"); the real registry is used in
// test/*.int-spec.ts.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  authorization: string | undefined;
  accept: string | undefined;
}

export interface StandInServer {
  /** `127.0.0.1:<port>` */
  host: string;
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function standInServer(handler: (req: IncomingMessage, res: ServerResponse, url: URL) => void): Promise<StandInServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    requests.push({ method: req.method ?? 'GET', url: `${url.pathname}${url.search}`, authorization: req.headers.authorization, accept: req.headers.accept });
    handler(req, res, url);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}
