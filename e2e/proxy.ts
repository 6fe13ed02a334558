// A TCP proxy between the browser and the host, to break the link the ways networks do: cut
// (connections reset at once), or black-holed (sockets stay open, nothing arrives: Wi-Fi gone,
// a laptop lid closed), while the host itself keeps running and producing snapshots.
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface LinkProxy {
  url: string;
  /** Every open connection reset, new ones refused, until restore(). */
  cut(): void;
  /** Open connections go silent both ways and new ones are refused, until restore(). */
  blackHole(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function startLinkProxy(target: string): Promise<LinkProxy> {
  const { hostname, port } = new URL(target);
  let mode: 'up' | 'cut' | 'black-hole' = 'up';
  const pairs = new Set<[net.Socket, net.Socket]>();
  const server = net.createServer((client) => {
    client.on('error', () => undefined);
    if (mode !== 'up') {
      client.destroy();
      return;
    }
    const upstream = net.connect(Number(port), hostname);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    const pair: [net.Socket, net.Socket] = [client, upstream];
    pairs.add(pair);
    const forward = (from: net.Socket, to: net.Socket) => {
      from.on('data', (chunk) => {
        if (mode !== 'black-hole') to.write(chunk);
      });
      from.on('end', () => to.end());
      from.on('close', () => {
        to.destroy();
        pairs.delete(pair);
      });
    };
    forward(client, upstream);
    forward(upstream, client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  const dropAll = () => {
    for (const [a, b] of pairs) {
      a.resetAndDestroy();
      b.destroy();
    }
    pairs.clear();
  };
  return {
    url: `http://127.0.0.1:${address.port}/`,
    cut: () => {
      mode = 'cut';
      dropAll();
    },
    blackHole: () => {
      mode = 'black-hole';
    },
    restore: () => {
      // A black-holed connection never recovers: the client must give up on it and dial again.
      if (mode === 'black-hole') dropAllSilently();
      mode = 'up';
    },
    close: async () => {
      dropAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  /** Forget black-holed sockets without telling the browser (it already gave up on them). */
  function dropAllSilently() {
    for (const [, upstream] of pairs) upstream.destroy();
  }
}
