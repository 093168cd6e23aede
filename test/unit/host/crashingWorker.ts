// A worker that dies on its first job: what the client must survive.
import { parentPort } from 'worker_threads';

parentPort?.on('message', () => process.exit(3));
