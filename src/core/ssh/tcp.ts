import * as net from 'node:net';

/**
 * The TCP connection to an SSH server: Nagle's algorithm off, and the writes of one tick
 * sent as one segment. Nagle on cost a delayed-ACK wait on every round trip (bench/results.md). Off, each of ssh2's writes became a segment of its own, and with Node's own AES-GCM
 * ssh2 writes every packet in three (length, ciphertext, tag): three syscalls here and three
 * wake-ups of sshd per command. Corking until the end of the tick sends them in one writev.
 */
export function connectTcp(host: string, port: number): net.Socket {
  const socket = net.connect({ host, port });
  socket.setNoDelay(true);
  const write = socket.write;
  socket.write = function (this: net.Socket, ...args: Parameters<net.Socket['write']>): boolean {
    if (this.writableCorked === 0) {
      this.cork();
      process.nextTick(() => this.uncork());
    }
    // eslint-disable-next-line no-restricted-syntax -- write's overloads cannot be named as one tuple; no text is shown here
    return write.apply(this, args as never);
  } as net.Socket['write'];
  return socket;
}
