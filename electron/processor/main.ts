// processor/: the worker process. It owns the one write connection to SQLite, reads the
// workbooks and runs cycles when main asks. Entry point for both Electron's utilityProcess
// and a Node child process. Imported by nothing; main starts it by path.
import { connectToParent } from './transport';
import { ProcessorService } from './service';
import { processorJobKinds } from './jobs/kinds';

const channel = connectToParent();
const service = new ProcessorService((event) => channel.send(event), { jobKinds: processorJobKinds });

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

/** Finishes the running request, closes (and checkpoints) the database, exits. */
let leaving = false;
function closeAndExit(): void {
  if (leaving) return;
  leaving = true;
  service.handle({ id: 0, type: 'shutdown' }).finally(() => process.exit(0));
}
// Ctrl+C in a terminal reaches the whole process group: the parent owns it and asks for a
// shutdown, which closes the database properly (dying here would leave the -wal behind).
process.on('SIGINT', () => undefined);
// The system ending the session, or the parent gone without a word (crashed, killed).
process.on('SIGTERM', closeAndExit);
channel.onParentGone(closeAndExit);

channel.send({ type: 'ready', pid: process.pid });
