// Whether an error means the database can't be reached right now (stopped, restarting, network gone),
// as opposed to a bad query or a bug. The MongoDB driver and mongoose name these errors by class; the
// cause chain is followed because services wrap them (AppError('STORAGE', ..., { cause })).

const UNREACHABLE = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
  'MongoServerClosedError',
]);

export function isStorageUnavailable(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    if (UNREACHABLE.has(e.name)) return true;
    // Mongoose holds operations while it reconnects and gives up after bufferTimeoutMS.
    if (e.name === 'MongooseError' && /buffering timed out/.test(e.message)) return true;
  }
  return false;
}
