import os from "node:os";
import path from "node:path";
import { defineConfig } from "vitest/config";

const alias = { "@": path.resolve(import.meta.dirname) };
const withDatabase = {
  globalSetup: ["tests/helpers/global-setup.ts"],
  setupFiles: ["tests/helpers/db-setup.ts"],
};

export default defineConfig({
  resolve: { alias },
  test: {
    // Vitest's default is one worker per core but one: a single worker on a 2-core machine, which ran
    // the integration files one after another (376 s), though they spend most of their time waiting
    // on the app, the worker, the simulator and PostgreSQL in other processes. Two at a time: 200–236 s.
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "db/**/*.test.ts", "workers/**/*.test.ts", "scripts/**/*.test.ts"],
          environment: "node",
          // next-auth imports "next/server" without an extension, which Node's ESM loader refuses and Vite's resolver accepts
          // (the machine lane's route table reaches lib/auth.ts).
          server: { deps: { inline: ["next-auth"] } },
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          ...withDatabase,
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
      {
        resolve: { alias },
        // Slow on purpose (a worker killed twenty times, PostgreSQL stopped under load): `npm run test:reliability`, run by CI.
        test: {
          name: "reliability",
          include: ["tests/reliability/**/*.test.ts"],
          ...withDatabase,
          // Each file loads the machine on purpose (twenty SIGKILLs, PostgreSQL stopped under load): one at a time.
          fileParallelism: false,
          testTimeout: 400_000,
          hookTimeout: 180_000,
        },
      },
      {
        resolve: { alias },
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          ...withDatabase,
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
