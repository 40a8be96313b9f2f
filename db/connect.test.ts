import { describe, expect, it } from "vitest";
import { postgresTarget } from "./connect";

describe("postgresTarget: libpq's Unix-socket URLs for postgres.js", () => {
  it("leaves a TCP URL as it is, with its port", () => {
    const url = "postgres://app:s%40cret@db.internal:6543/switchboard?sslmode=require";
    expect(postgresTarget(url)).toEqual({ url, port: 6543 });
    expect(postgresTarget("postgresql://app@127.0.0.1/x")).toEqual({ url: "postgresql://app@127.0.0.1/x", port: 5432 });
  });

  it.each([
    {
      form: "?host=, keeping the credentials, database and other settings",
      url: "postgres://app:p%2Fw@localhost:5433/switchboard?host=/var/run/postgresql&sslmode=disable",
      target: {
        url: "postgres://app:p%2Fw@localhost:5433/switchboard?sslmode=disable",
        port: 5433,
        path: "/var/run/postgresql/.s.PGSQL.5433",
      },
    },
    {
      form: "an empty host with ?host= (Cloud SQL's form)",
      url: "postgres://app:pw@/switchboard?host=/cloudsql/proj:region:inst",
      target: {
        url: "postgres://app:pw@localhost:5432/switchboard",
        port: 5432,
        path: "/cloudsql/proj:region:inst/.s.PGSQL.5432",
      },
    },
    {
      form: "a percent-encoded directory in place of the host",
      url: "postgres://app@%2Fvar%2Frun%2Fpostgresql:5434/db",
      target: { url: "postgres://app@localhost:5434/db", port: 5434, path: "/var/run/postgresql/.s.PGSQL.5434" },
    },
  ])("takes the socket from $form", ({ url, target }) => {
    expect(postgresTarget(url)).toEqual(target);
  });

  it("reads ?port= beside ?host=", () => {
    expect(postgresTarget("postgresql:///switchboard?host=/tmp/&port=6000").path).toBe("/tmp/.s.PGSQL.6000");
  });

  it("moves ?host= and ?port= naming a TCP server into the URL, as libpq reads them", () => {
    expect(postgresTarget("postgres://app@primary:5432/db?host=replica&port=6432&application_name=x")).toEqual({
      url: "postgres://app@replica:6432/db?application_name=x",
      port: 6432,
    });
    expect(postgresTarget("postgres://app@/db?host=::1").url).toBe("postgres://app@[::1]:5432/db");
    // An empty ?host= is libpq's default, not a setting for the server.
    expect(postgresTarget("postgres://app@db.internal/db?host=").url).toBe("postgres://app@db.internal:5432/db");
  });
});
