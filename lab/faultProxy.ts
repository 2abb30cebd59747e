import * as net from 'node:net';

export type FaultMode = 'pass' | 'blackhole' | 'stall';

/**
 * A TCP proxy in front of a lab sshd that can cut, stall or reset the link on demand — the
 * network faults a deploy must survive. `blackhole` keeps sockets open but forwards nothing
 * (a dead route); `stall` accepts new connections and never answers (a stuck handshake).
 */
export class FaultProxy {
  private readonly server: net.Server;
  private readonly pairs = new Set<[net.Socket, net.Socket]>();
  mode: FaultMode = 'pass';

  private constructor(
    readonly host: string,
    readonly port: number,
    target: { host: string; port: number },
  ) {
    this.server = net.createServer((client) => {
      if (this.mode === 'stall') {
        client.on('error', () => undefined);
        this.pairs.add([client, client]);
        return;
      }
      const upstream = net.connect(target);
      const pair: [net.Socket, net.Socket] = [client, upstream];
      this.pairs.add(pair);
      const forward = (from: net.Socket, to: net.Socket) =>
        from.on('data', (chunk) => {
          if (this.mode === 'pass') to.write(chunk);
        });
      forward(client, upstream);
      forward(upstream, client);
      const close = () => {
        client.destroy();
        upstream.destroy();
        this.pairs.delete(pair);
      };
      client.on('error', close).on('close', close);
      upstream.on('error', close).on('close', close);
    });
  }

  static async start(host: string, port: number, target: { host: string; port: number }): Promise<FaultProxy> {
    const proxy = new FaultProxy(host, port, target);
    await new Promise<void>((resolve, reject) => proxy.server.once('error', reject).listen(port, host, () => resolve()));
    return proxy;
  }

  /** Sends a TCP RST on every open connection, as a crashed router or a killed NAT entry would. */
  reset(): void {
    for (const [a, b] of this.pairs) {
      a.resetAndDestroy();
      if (b !== a) b.resetAndDestroy();
    }
    this.pairs.clear();
  }

  async stop(): Promise<void> {
    this.reset();
    await new Promise((r) => this.server.close(() => r(undefined)));
  }
}
