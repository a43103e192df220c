// How a worker learns of a job to run without waiting for its next poll. Where the server offers change
// streams (a replica set, as docker-compose runs MongoDB), every worker process watches the jobs
// collection, so a backtest queued by a bot in another process or on another machine starts at once.
// Where it doesn't (FerretDB), jobs queued in this process still wake it, and other processes poll.
// Either way a worker wakes itself when a run ends, to take the next job in its freed slot.
import { MongoChangeStreamNotificationChannel } from '@agendajs/mongo-backend';
import {
  type BaseNotificationChannel,
  InMemoryNotificationChannel,
  type JobNotification,
  toJobId,
} from 'agenda';
import type { Db } from 'mongodb';

/** A change stream that also hands this process's own notifications to its handlers at once. */
class WatchAndLocalChannel extends MongoChangeStreamNotificationChannel {
  override async publish(notification: JobNotification): Promise<void> {
    await this.notifyHandlers(notification);
  }
}

/** True when the server streams changes: a replica set member or a sharded cluster's router. */
export async function offersChangeStreams(db: Db): Promise<boolean> {
  const hello = await db
    .admin()
    .command({ hello: 1 })
    .catch(() => null);
  return Boolean(hello && (typeof hello.setName === 'string' || hello.msg === 'isdbgrid'));
}

export type WakeChannel = {
  channel: BaseNotificationChannel;
  /** Whether other processes' jobs arrive through it (change streams), or only through polling. */
  watches: boolean;
  /** Makes this process look for a job of this name now. */
  wake(jobName: string): void;
};

export function createWakeChannel(deps: {
  db: Db;
  collection: string;
  watch: boolean;
  onError: (err: unknown) => void;
}): WakeChannel {
  const channel: BaseNotificationChannel = deps.watch
    ? new WatchAndLocalChannel({ db: deps.db, collection: deps.collection })
    : new InMemoryNotificationChannel();
  // An EventEmitter's unheard 'error' throws; a lost stream reconnects by itself.
  channel.on('error', deps.onError);
  return {
    channel,
    watches: deps.watch,
    wake(jobName) {
      if (channel.state !== 'connected') return;
      // No nextRunAt: Agenda then looks for any due job of that name.
      channel
        .publish({ jobId: toJobId('wake'), jobName, nextRunAt: null, priority: 0, timestamp: new Date() })
        .catch(deps.onError);
    },
  };
}
