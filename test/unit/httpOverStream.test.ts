import * as assert from 'node:assert/strict';
import * as http from 'node:http';
import { AddressInfo, connect } from 'node:net';
import { getOverStream, parseAnswer } from '../../src/core/ssh/httpOverStream';

function server(answer: string): Promise<http.Server> {
  // Written in two pieces, so Node sends it chunked.
  const s = http.createServer((req, res) => {
    res.write(`${answer} `);
    res.end(`${req.url} ${req.headers.host}`);
  });
  return new Promise((resolve) => s.listen(0, '127.0.0.1', () => resolve(s)));
}
const portOf = (s: http.Server) => (s.address() as AddressInfo).port;

describe('HTTP over a stream that is already connected', () => {
  let tunnelEnd: http.Server;
  let urlTarget: http.Server;
  before(async () => {
    tunnelEnd = await server('through the stream');
    urlTarget = await server('straight from this machine');
  });
  after(() => {
    for (const s of [tunnelEnd, urlTarget]) {
      s.closeAllConnections();
      s.close();
    }
  });

  it('sends the request through the stream it is given, never to the URL\'s address from here', async () => {
    const stream = connect(portOf(tunnelEnd), '127.0.0.1');
    const answer = await getOverStream(stream, `http://127.0.0.1:${portOf(urlTarget)}/api/health?x=1`, { timeoutMs: 5000, hostHeader: 'shop.example.com' }).finally(() => stream.destroy());
    assert.deepEqual(answer, { status: 200, body: 'through the stream /api/health?x=1 shop.example.com' });
  });

  it('reads raw answers the way a client would: close-delimited, Content-Length, chunked', () => {
    const read = (raw: string, ended = true) => parseAnswer(Buffer.from(raw), ended);
    assert.deepEqual(read('HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n{"status":"ok"}'), { status: 200, body: '{"status":"ok"}' });
    assert.deepEqual(read('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\ndown'), { status: 503, body: 'down' });
    assert.deepEqual(read('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n'), { status: 200, body: 'abcde' });
  });

  it('waits for the rest of an answer that is not complete yet', () => {
    assert.equal(parseAnswer(Buffer.from('HTTP/1.1 200 OK\r\nContent-Le'), false), undefined);
    assert.equal(parseAnswer(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'), false), undefined);
    assert.equal(parseAnswer(Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n'), false), undefined);
    assert.equal(parseAnswer(Buffer.from('HTTP/1.0 200 OK\r\n\r\nso far'), false), undefined);
  });

  it('rejects what is not an HTTP answer, and an answer cut short', () => {
    assert.throws(() => parseAnswer(Buffer.from('curl: (7) Failed to connect\n'), true), /not an HTTP answer/);
    assert.throws(() => parseAnswer(Buffer.from('SSH-2.0-OpenSSH_9.2\r\n\r\n'), true), /not an HTTP answer/);
    assert.throws(() => parseAnswer(Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'), true), /cut short \(3 of 10 bytes\)/);
    assert.throws(() => parseAnswer(Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n'), true), /cut short/);
    assert.throws(() => parseAnswer(Buffer.from(''), true), /closed without an answer/);
  });
});
