// A Docker Engine API server on loopback for tests: the calls dockerode makes for GenTrade's runs
// (create a container from a JSON body, start, wait, logs as Docker's multiplexed stream, kill,
// remove), with Docker's status codes and error bodies ({"message": "No such container: ..."}).
// A create must carry the isolation options (isolation.ts) or it is denied as an authorization
// plugin would deny it; an accepted container "runs" by executing its command here (run.ts).
// What it shows is our wiring against Docker's API, not Docker's isolation: no Docker engine runs
// on this machine, nothing here enforces a mount, a user or a limit.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Bind, type CreateBody, CreateBodySchema, isolationProblems, parseBinds } from './isolation.ts';
import { type Frame, type Running, runContainerCommand } from './run.ts';

export type PeerContainer = {
  id: string;
  image: string;
  /** Entrypoint and Cmd as one line: `sh -c python -m gentrade_engine validate < ...`. */
  command: string;
  body: CreateBody;
  state: 'created' | 'running' | 'exited';
  exitCode: number | undefined;
  killed: boolean;
  removed: boolean;
};

/** A create request as received: refused ones carry Docker's message. */
export type PeerCreate = { body: unknown; status: number; message?: string };

export type DockerEnginePeer = {
  /** Where to point dockerode: `new Docker({ ...peer.endpoint, protocol: 'http' })`. */
  endpoint: { host: string; port: number };
  creates(): PeerCreate[];
  containers(): PeerContainer[];
  close(): Promise<void>;
};

type Live = PeerContainer & { binds: Bind[]; run?: Running };
type Reply = {
  status: number;
  json?: unknown;
  raw?: { type: string; body: Buffer };
  /** A body written over time (a followed log). */
  stream?: (res: ServerResponse) => Promise<void>;
  error?: string;
};

const message = (status: number, text: string): Reply => ({ status, json: { message: text }, error: text });
const noSuch = (id: string) => message(404, `No such container: ${id}`);

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(Buffer.isBuffer(c) ? c : Buffer.from(String(c)));
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? JSON.parse(text) : {};
}

/** Docker's multiplexed stream: per frame, the stream id, three zero bytes and the big-endian length. */
function multiplexed(frames: { stream: 1 | 2; data: Buffer }[]): Buffer {
  return Buffer.concat(
    frames.flatMap((f) => {
      const header = Buffer.alloc(8);
      header.writeUInt8(f.stream, 0);
      header.writeUInt32BE(f.data.length, 4);
      return [header, f.data];
    }),
  );
}

export async function startDockerEnginePeer(opts: {
  /** The bootstrap's venv python, which runs the engine as the image's python would. */
  python: string;
  /** Images the peer "has"; a create naming another gets Docker's 404. */
  images?: string[];
}): Promise<DockerEnginePeer> {
  const images = new Set(opts.images ?? ['freqtradeorg/freqtrade:2026.9']);
  const home = mkdtempSync(path.join(os.tmpdir(), 'gentrade-docker-peer-home-'));
  const creates: PeerCreate[] = [];
  const all: Live[] = [];
  const find = (id: string) => all.find((c) => !c.removed && (c.id === id || c.id.startsWith(id)));

  function create(raw: unknown): Reply {
    const parsed = CreateBodySchema.safeParse(raw);
    if (!parsed.success) return message(400, `invalid JSON body: ${parsed.error.issues[0]?.message ?? ''}`);
    const body = parsed.data;
    if (!images.has(body.Image)) return message(404, `No such image: ${body.Image}`);
    let binds: Bind[];
    try {
      binds = parseBinds(body.HostConfig?.Binds ?? []);
    } catch (err) {
      return message(400, err instanceof Error ? err.message : String(err));
    }
    const problems = isolationProblems(body);
    if (problems.length > 0)
      return message(403, `authorization denied by plugin gentrade-isolation: ${problems.join('; ')}`);
    const id = randomBytes(32).toString('hex');
    const command = [...(body.Entrypoint ?? []), ...(body.Cmd ?? [])].join(' ');
    all.push({
      id,
      image: body.Image,
      command,
      body,
      binds,
      state: 'created',
      exitCode: undefined,
      killed: false,
      removed: false,
    });
    return { status: 201, json: { Id: id, Warnings: [] } };
  }

  function start(c: Live): Reply {
    if (c.state !== 'created') return { status: 304 };
    const run = runContainerCommand(c.body, c.binds, { python: opts.python, home });
    Object.assign(c, { run, state: 'running' });
    void run.done.then((code) => Object.assign(c, { state: 'exited', exitCode: code }));
    return { status: 204 };
  }

  async function wait(c: Live): Promise<Reply> {
    // The default condition, not-running: a created container answers at once, as Docker does.
    const code = c.run ? await c.run.done : 0;
    return { status: 200, json: { Error: null, StatusCode: code } };
  }

  function logs(c: Live, query: URLSearchParams): Reply {
    const on = (k: string) => ['1', 'true'].includes(query.get(k) ?? '');
    if (!on('stdout') && !on('stderr'))
      return message(400, 'Bad parameters: you must choose at least one stream');
    const wanted = (f: Frame) => on(f.stream === 1 ? 'stdout' : 'stderr');
    const type = 'application/vnd.docker.multiplexed-stream';
    const run = c.run;
    if (on('follow') && run) return { status: 200, stream: (res) => follow(res, run, wanted, type) };
    const frames = (run?.frames ?? []).filter(wanted);
    return { status: 200, raw: { type, body: multiplexed(frames) } };
  }

  /** follow=1: the frames so far, then each as the command writes it, until it exits (as Docker does). */
  async function follow(res: ServerResponse, run: Running, wanted: (f: Frame) => boolean, type: string) {
    res.writeHead(200, { 'content-type': type });
    let sent = 0;
    let exited = false;
    void run.done.then(() => {
      exited = true;
    });
    for (;;) {
      const over = exited;
      const fresh = run.frames.slice(sent);
      sent += fresh.length;
      if (fresh.some(wanted)) res.write(multiplexed(fresh.filter(wanted)));
      if (over) break;
      await sleep(20);
    }
    res.end();
  }

  function kill(c: Live): Reply {
    if (c.state !== 'running')
      return message(409, `Cannot kill container: ${c.id}: Container ${c.id} is not running`);
    c.killed = true;
    c.run?.kill();
    return { status: 204 };
  }

  async function remove(c: Live, query: URLSearchParams): Promise<Reply> {
    if (c.state === 'running') {
      if (!['1', 'true'].includes(query.get('force') ?? ''))
        return message(
          409,
          `You cannot remove a running container ${c.id}. Stop the container before attempting removal or force remove`,
        );
      c.killed = true;
      c.run?.kill();
      await c.run?.done;
    }
    c.removed = true;
    return { status: 204 };
  }

  async function route(req: IncomingMessage): Promise<Reply> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    // dockerode may prefix a version (/v1.47/...); Docker serves both.
    const at = url.pathname.replace(/^\/v\d+\.\d+(?=\/)/, '');
    const method = req.method ?? 'GET';
    // Image inspect: what the result cache keys the Docker runner's Freqtrade on (name and content id).
    const image = /^\/images\/(.+)\/json$/.exec(at)?.[1];
    if (method === 'GET' && image !== undefined) {
      const name = decodeURIComponent(image);
      if (!images.has(name)) return message(404, `No such image: ${name}`);
      const id = `sha256:${createHash('sha256').update(name).digest('hex')}`;
      return { status: 200, json: { Id: id, RepoTags: [name] } };
    }
    if (method === 'POST' && at === '/containers/create') {
      let raw: unknown;
      try {
        raw = await readJson(req);
      } catch (err) {
        return message(400, `invalid JSON: ${err instanceof Error ? err.message : String(err)}`);
      }
      const reply = create(raw);
      const refused = reply.error === undefined ? {} : { message: reply.error };
      creates.push({ body: raw, status: reply.status, ...refused });
      return reply;
    }
    const m = /^\/containers\/([^/]+)(?:\/(start|wait|kill|logs))?$/.exec(at);
    const id = m?.[1];
    if (!id) return message(404, 'page not found');
    const c = find(id);
    const action = `${method} ${m[2] ?? ''}`;
    const known = ['POST start', 'POST wait', 'POST kill', 'GET logs', 'DELETE '];
    if (!known.includes(action)) return message(404, 'page not found');
    if (!c) return noSuch(id);
    if (action === 'POST start') return start(c);
    if (action === 'POST wait') return wait(c);
    if (action === 'POST kill') return kill(c);
    if (action === 'GET logs') return logs(c, url.searchParams);
    return remove(c, url.searchParams);
  }

  const send = (res: ServerResponse, reply: Reply) => {
    if (reply.stream) void reply.stream(res);
    else if (reply.raw) res.writeHead(reply.status, { 'content-type': reply.raw.type }).end(reply.raw.body);
    else if (reply.json === undefined) res.writeHead(reply.status).end();
    else
      res
        .writeHead(reply.status, { 'content-type': 'application/json' })
        .end(`${JSON.stringify(reply.json)}\n`);
  };
  const server = createServer((req, res) => {
    route(req)
      .then((reply) => send(res, reply))
      .catch((err: unknown) => send(res, message(500, String(err))));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const bound = server.address();
  if (!bound || typeof bound === 'string')
    throw new Error('the Docker Engine peer is not listening on a port');

  return {
    endpoint: { host: '127.0.0.1', port: bound.port },
    creates: () => [...creates],
    containers: () => all.map(({ binds: _b, run: _r, ...c }) => ({ ...c })),
    async close() {
      for (const c of all) c.run?.kill();
      await Promise.all(all.map((c) => c.run?.done));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      rmSync(home, { recursive: true, force: true });
    },
  };
}
