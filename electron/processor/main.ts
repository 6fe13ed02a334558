// processor/: the worker process. It owns the one write connection to SQLite, reads the
// workbooks and runs cycles when main asks. Entry point for both Electron's utilityProcess
// and a Node child process. Imported by nothing; main starts it by path.
import { connectToParent } from './transport';
import { ProcessorService } from './service';

const channel = connectToParent();
const service = new ProcessorService((event) => channel.send(event));

channel.onRequest((request) => {
  service.handle(request).then(
    (result) => {
      channel.send({ type: 'reply', id: request.id, ok: true, result });
      if (request.type === 'shutdown') process.exit(0);
    },
    (error: unknown) => {
      channel.send({ type: 'reply', id: request.id, ok: false, error: (error as Error).message ?? String(error) });
    },
  );
});

channel.send({ type: 'ready', pid: process.pid });
