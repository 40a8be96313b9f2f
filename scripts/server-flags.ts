/**
 * Node flags of the long-running processes (the web app and the worker), for `npm start` and
 * for the tests and benchmark that start them the same way. An explicit heap limit keeps V8
 * from growing the heap towards its default (a quarter of the machine's memory, up to 4 GB)
 * before it collects: under 200 connections of webhooks the web process peaked at ~410 MB
 * without it, ~205 MB with it, at the same throughput. 512 MB is five times the live heap.
 * SERVER_NODE_FLAGS adds flags Node refuses in NODE_OPTIONS, such as `--cpu-prof` to profile
 * both processes under the benchmark (docs/performance.md).
 */
export function serverNodeFlags(): string[] {
  const mb = Number(process.env.SERVER_MAX_HEAP_MB) || 512;
  const extra = process.env.SERVER_NODE_FLAGS?.trim();
  return [`--max-old-space-size=${mb}`, ...(extra ? extra.split(/\s+/) : [])];
}
