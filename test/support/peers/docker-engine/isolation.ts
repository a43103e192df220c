// What the Docker Engine API peer reads of a container-create body (POST /containers/create), parsed
// with zod, and the isolation it insists on before "running" anything: the options GenTrade's
// containers must carry (freqtrade/docker/container.ts). A body without them is refused the way
// Docker refuses a request an authorization plugin denies (403, "authorization denied by plugin").
// This checks what we ask Docker for; whether Docker enforces it is Docker's part, not shown here.
import { z } from 'zod';

export const CreateBodySchema = z
  .object({
    Image: z.string().min(1),
    Entrypoint: z.array(z.string()).nullish(),
    Cmd: z.array(z.string()).nullish(),
    Env: z.array(z.string()).nullish(),
    User: z.string().nullish(),
    WorkingDir: z.string().nullish(),
    NetworkDisabled: z.boolean().nullish(),
    HostConfig: z
      .object({
        Binds: z.array(z.string()).nullish(),
        NetworkMode: z.string().nullish(),
        ReadonlyRootfs: z.boolean().nullish(),
        Privileged: z.boolean().nullish(),
        CapAdd: z.array(z.string()).nullish(),
        CapDrop: z.array(z.string()).nullish(),
        SecurityOpt: z.array(z.string()).nullish(),
        Memory: z.number().int().nullish(),
        MemorySwap: z.number().int().nullish(),
        PidsLimit: z.number().int().nullish(),
        LogConfig: z.object({ Type: z.string() }).loose().nullish(),
      })
      .loose()
      .nullish(),
  })
  .loose();
export type CreateBody = z.infer<typeof CreateBodySchema>;

/** A bind as Docker reads `host:container[:mode]`. */
export type Bind = { host: string; container: string; readOnly: boolean };

export function parseBinds(binds: readonly string[]): Bind[] {
  return binds.map((raw) => {
    const [host, container, mode = 'rw'] = raw.split(':');
    if (!host || !container) throw new Error(`invalid volume specification: '${raw}'`);
    return { host, container, readOnly: mode.split(',').includes('ro') };
  });
}

/** A user spec that is root by name or id, or no user at all (the image's default, root here). */
function isRoot(user: string | null | undefined): boolean {
  const name = (user ?? '').split(':')[0]?.trim() ?? '';
  return name === '' || name === 'root' || name === '0';
}

/** Every isolation option the body lacks, in words; empty when it carries them all. */
export function isolationProblems(body: CreateBody): string[] {
  const host = body.HostConfig ?? {};
  const problems: string[] = [];
  if (host.NetworkMode !== 'none')
    problems.push(`NetworkMode is '${host.NetworkMode ?? 'default'}', not 'none'`);
  if (body.NetworkDisabled !== true) problems.push('networking is not disabled');
  if (host.ReadonlyRootfs !== true) problems.push('the root filesystem is writable');
  if (isRoot(body.User)) problems.push(`the user '${body.User ?? ''}' is root`);
  if (host.Privileged === true) problems.push('the container is privileged');
  if (!(host.CapDrop ?? []).some((c) => c.toUpperCase() === 'ALL'))
    problems.push('capabilities are not all dropped');
  if ((host.CapAdd ?? []).length > 0) problems.push(`capabilities are added: ${host.CapAdd?.join(', ')}`);
  const noNewPrivileges = (host.SecurityOpt ?? []).some((o) => /^no-new-privileges(?:[:=]true)?$/.test(o));
  if (!noNewPrivileges) problems.push('no-new-privileges is not set');
  if (!host.Memory || host.Memory <= 0) problems.push('memory is not limited');
  else if (host.MemorySwap !== host.Memory) problems.push('swap is not turned off (MemorySwap != Memory)');
  if (!host.PidsLimit || host.PidsLimit <= 0) problems.push('tasks are not limited (PidsLimit)');
  const writable = parseBinds(host.Binds ?? []).filter((b) => !b.readOnly);
  if (writable.length > 1) problems.push(`${writable.length} binds are writable; only the run folder may be`);
  return problems;
}
