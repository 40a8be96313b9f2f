import postgres from "postgres";
const sql = postgres("postgres://postgres@127.0.0.1:5432/test", { max: 1, onnotice: () => {} });
await sql`create table if not exists fsync_probe (id int primary key, n float8)`;
await sql`insert into fsync_probe values (1, 0) on conflict do nothing`;
for (const mode of ["autocommit", "async-tx", "autocommit", "async-tx"]) {
  const t = performance.now();
  for (let i = 0; i < 300; i++) {
    if (mode === "autocommit") await sql`update fsync_probe set n = n + 1 where id = 1`;
    else await sql.begin(async (tx) => { await tx`set local synchronous_commit = off`; await tx`update fsync_probe set n = n + 1 where id = 1`; });
  }
  console.log(mode, ((performance.now() - t) / 300).toFixed(3), "ms each");
}
await sql`drop table fsync_probe`;
await sql.end();
