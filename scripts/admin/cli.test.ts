import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openPostgres } from "@/db/connect";
import { freePort } from "../../tests/helpers/app";
import { describeKnownFailure } from "./cli";

/** The driver's own error for a query against `url`, where no server answers. */
async function errorFrom(url: string): Promise<unknown> {
  const client = openPostgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    await client`select 1`;
    throw new Error("a server answered");
  } catch (error) {
    return error;
  } finally {
    await client.end({ timeout: 1 });
  }
}

const emptyDir = mkdtempSync(path.join(os.tmpdir(), "sb-nosock-"));
afterAll(() => rmSync(emptyDir, { recursive: true, force: true }));

describe("describeKnownFailure: an unreachable database said plainly", () => {
  it("names a TCP port where nothing listens", async () => {
    const error = await errorFrom(`postgres://app@127.0.0.1:${await freePort()}/db`);
    expect(describeKnownFailure(error)).toBe("cannot reach the database (ECONNREFUSED); check DATABASE_URL");
  });

  it("names a Unix socket that is not there (?host=/dir with no server)", async () => {
    const error = await errorFrom(`postgres://app@localhost:5432/db?host=${emptyDir}`);
    expect(describeKnownFailure(error)).toBe("cannot reach the database (ENOENT); check DATABASE_URL");
  });

  it("leaves any other missing file to the caller (a real bug, or the operator's own path)", () => {
    const error = Object.assign(new Error("ENOENT: no such file or directory, open 'contacts.csv'"), {
      code: "ENOENT",
      path: "contacts.csv",
    });
    expect(describeKnownFailure(error)).toBeUndefined();
  });
});
