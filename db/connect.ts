import postgres from "postgres";

/**
 * Where a PostgreSQL URL points, read as libpq (psql, pg, pg-boss) reads it. A server on this
 * machine is often reached through its Unix socket, which libpq spells as a directory:
 * `postgres://user:pass@localhost:5432/db?host=/var/run/postgresql` (Cloud SQL's
 * `?host=/cloudsql/<instance>`, Heroku-style local URLs), or that directory percent-encoded in
 * place of the host (`postgres://user@%2Fvar%2Frun%2Fpostgresql/db`). postgres.js reads neither:
 * it sends `host` to the server as a setting (refused: unrecognized configuration parameter) and
 * looks the encoded directory up as a host name. `url` is the URL with the socket taken out and
 * `path` the socket itself (`<directory>/.s.PGSQL.<port>`), for postgres.js's `path` option; a
 * `?host=` or `?port=` naming a TCP server moves into the URL's authority, as libpq would read it.
 * Any other URL comes back as it was.
 */
export type PostgresTarget = { url: string; port: number; path?: string };

const DEFAULT_PORT = 5432;

export function postgresTarget(url: string): PostgresTarget {
  const authority = /^(postgres(?:ql)?:\/\/)([^/?#]*)(.*)$/i.exec(url);
  if (!authority) return { url, port: DEFAULT_PORT };
  const [, scheme, userAndHost, rest] = authority as unknown as [string, string, string, string];
  const at = userAndHost.lastIndexOf("@");
  const user = at >= 0 ? userAndHost.slice(0, at + 1) : "";
  const hostPort = /^(.*?)(?::(\d*))?$/.exec(userAndHost.slice(at + 1))!;
  const host = decodeURIComponent(hostPort[1] ?? "");
  let port = hostPort[2] ? Number(hostPort[2]) : DEFAULT_PORT;

  const queryStart = rest.indexOf("?");
  const query = new URLSearchParams(queryStart >= 0 ? rest.slice(queryStart + 1) : "");
  const queryHost = query.get("host");
  if (query.has("port") && /^\d+$/.test(query.get("port")!)) port = Number(query.get("port"));
  if (!query.has("host") && !query.has("port") && !host.startsWith("/")) return { url, port };

  // libpq's ?host= and ?port= win over the URL's own; postgres.js would send them to the server.
  const server = queryHost || host;
  const directory = server.startsWith("/") ? server : undefined;
  query.delete("host");
  query.delete("port");
  const search = query.size > 0 ? `?${query.toString()}` : "";
  const pathname = queryStart >= 0 ? rest.slice(0, queryStart) : rest;
  const hostname = directory
    ? "localhost"
    : server.includes(":") && !server.startsWith("[")
      ? `[${server}]`
      : server || "localhost";
  return {
    url: `${scheme}${user}${hostname}:${port}${pathname}${search}`,
    port,
    ...(directory ? { path: `${directory.replace(/\/+$/, "")}/.s.PGSQL.${port}` } : {}),
  };
}

/** postgres.js on `url`, through its Unix socket when the URL names one (postgresTarget). */
export function openPostgres(
  url: string | PostgresTarget,
  options: postgres.Options<Record<string, postgres.PostgresType>> = {},
): postgres.Sql {
  const target = typeof url === "string" ? postgresTarget(url) : url;
  return postgres(target.url, target.path ? { ...options, path: target.path } : options);
}
