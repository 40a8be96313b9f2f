import { PgBoss } from "pg-boss";

/**
 * One pg-boss instance per process. The web process only sends jobs (no supervision,
 * no cron); the worker process supervises, runs schedules and works the queues.
 */
let instance: Promise<PgBoss> | undefined;

export type BossRole = "web" | "worker" | "admin";

export function getBoss(role: BossRole = "web"): Promise<PgBoss> {
  instance ??= startBoss(role).catch((error: unknown) => {
    instance = undefined;
    throw error;
  });
  return instance;
}

export async function stopBoss(): Promise<void> {
  const current = instance;
  instance = undefined;
  if (current) await (await current).stop({ graceful: true, timeout: 10_000 }).catch(() => {});
}

async function startBoss(role: BossRole): Promise<PgBoss> {
  const connectionString = process.env.DATABASE_URL;
  if (!connectionString) throw new Error("DATABASE_URL is not set");
  const isWorker = role === "worker";
  const boss = new PgBoss({
    connectionString,
    schema: "pgboss",
    max: isWorker ? 8 : 4,
    // Migrations run once in `npm start` / `npm run db:migrate`, not racing in every process.
    migrate: false,
    supervise: isWorker,
    schedule: isWorker,
    application_name: `switchboard-${role}`,
  });
  boss.on("error", (error: unknown) => console.error(`[pg-boss ${role}]`, error));
  await boss.start();
  return boss;
}

/**
 * Installs or upgrades pg-boss's schema and lets `prepare` create the queues, so the web
 * process can send before any worker has started. Called by the migration step.
 */
export async function migrateBoss(connectionString: string, prepare?: (boss: PgBoss) => Promise<void>): Promise<void> {
  const boss = new PgBoss({ connectionString, schema: "pgboss", migrate: true, supervise: false, schedule: false, max: 2 });
  boss.on("error", (error: unknown) => console.error("[pg-boss migrate]", error));
  await boss.start();
  try {
    await prepare?.(boss);
  } finally {
    await boss.stop({ graceful: false });
  }
}
