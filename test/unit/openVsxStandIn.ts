import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as yauzl from 'yauzl';

/**
 * A stand-in for Open VSX's publish endpoint: `ovsx publish --registryUrl` uploads the VSIX it
 * packaged here instead of to the registry, so a test sees exactly what would be published.
 * ovsx has no dry-run option; this is the smallest server that answers its one request.
 */
export interface Upload {
  token: string;
  bytes: number;
  files: string[];
  manifest: { publisher: string; name: string; version: string };
}

export async function startOpenVsxStandIn(): Promise<{ url: string; uploads: Upload[]; close(): Promise<void> }> {
  const uploads: Upload[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    if (req.method !== 'POST' || url.pathname !== '/api/-/publish') {
      res.writeHead(404, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: `the stand-in answers only POST /api/-/publish, not ${req.method} ${url.pathname}` }));
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      readVsix(body).then(
        ({ files, manifest }) => {
          uploads.push({ token: url.searchParams.get('token') ?? '', bytes: body.length, files, manifest });
          res.writeHead(201, { 'Content-Type': 'application/json' }).end(JSON.stringify({ namespace: manifest.publisher, name: manifest.name, version: manifest.version, targetPlatform: 'universal' }));
        },
        (err: Error) => res.writeHead(400, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: `not a VSIX: ${err.message}` })),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, uploads, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function readVsix(zip: Buffer): Promise<{ files: string[]; manifest: Upload['manifest'] }> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true }, (err, archive) => {
      if (err) return reject(err);
      const files: string[] = [];
      let manifest: Upload['manifest'] | undefined;
      archive.on('error', reject);
      archive.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) return archive.readEntry();
        files.push(entry.fileName);
        if (entry.fileName !== 'extension/package.json') return archive.readEntry();
        archive.openReadStream(entry, (streamErr, stream) => {
          if (streamErr) return reject(streamErr);
          const parts: Buffer[] = [];
          stream.on('data', (c: Buffer) => parts.push(c));
          stream.on('end', () => {
            manifest = JSON.parse(Buffer.concat(parts).toString('utf8')) as Upload['manifest'];
            archive.readEntry();
          });
        });
      });
      archive.on('end', () => (manifest ? resolve({ files, manifest }) : reject(new Error('no extension/package.json'))));
      archive.readEntry();
    });
  });
}
