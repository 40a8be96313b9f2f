import { setMaxListeners } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { handleBandwidth } from "./bandwidth";
import { handleBandwidthNumbers } from "./bandwidth-numbers";
import type { SimContext } from "./context";
import { createControl, handleControl, type SimControl } from "./control";
import { Deliverer } from "./deliver";
import { Faults } from "./faults";
import { flatHeaders, json, readBody, toRecorded, type SimRequest, type SimResponse } from "./http";
import { handleMessageMediaRest } from "./messagemedia-rest";
import { handleMessageMediaSoap } from "./messagemedia-soap";
import { SimState, type Api, type Vendor } from "./state";
import { handleTwilio } from "./twilio";
import { handleTwilioLookup } from "./twilio-lookup";
import { handleTwilioMessaging } from "./twilio-numbers";
import { handleVonage } from "./vonage";

/**
 * The vendor simulator: Twilio, Bandwidth, Vonage and MessageMedia on one loopback port, each vendor host
 * under its own path prefix, so the real adapters run against it by changing base URLs.
 * Layout, credentials and the control API: sim/README.md.
 */
export type StartOptions = {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** How long before each delivery report (default 250 ms). */
  delayMs?: number;
};

export type Simulator = { url: string; stop: () => Promise<void>; control: SimControl };

type Route = { prefix: string; api: Api; vendor: Vendor; handle: (ctx: SimContext, request: SimRequest) => Promise<SimResponse> };

// Longest prefixes first: /twilio-lookup must not be read as /twilio.
const ROUTES: Route[] = [
  { prefix: "/twilio-messaging", api: "twilio-messaging", vendor: "twilio", handle: handleTwilioMessaging },
  { prefix: "/twilio-lookup", api: "twilio-lookup", vendor: "twilio", handle: handleTwilioLookup },
  { prefix: "/twilio", api: "twilio", vendor: "twilio", handle: handleTwilio },
  { prefix: "/bandwidth-dashboard", api: "bandwidth-dashboard", vendor: "bandwidth", handle: handleBandwidthNumbers },
  { prefix: "/bandwidth", api: "bandwidth", vendor: "bandwidth", handle: handleBandwidth },
  { prefix: "/vonage", api: "vonage", vendor: "vonage", handle: handleVonage },
  { prefix: "/messagemedia-soap", api: "messagemedia-soap", vendor: "messagemedia-soap", handle: handleMessageMediaSoap },
  { prefix: "/messagemedia", api: "messagemedia", vendor: "messagemedia-rest", handle: handleMessageMediaRest },
];

export async function startSimulator(options: StartOptions = {}): Promise<Simulator> {
  const host = options.host ?? "127.0.0.1";
  const state = new SimState(options.delayMs ?? 250);
  const deliver = new Deliverer(state);
  const abort = new AbortController();
  // Every delayed answer in flight listens for the stop: hundreds at once under load.
  setMaxListeners(0, abort.signal);
  let url = "";
  const ctx: SimContext = { state, faults: new Faults(), deliver, baseUrl: () => url, signal: abort.signal };
  const control = createControl(ctx);
  const server = http.createServer((req, res) => void serve(ctx, control, req, res));

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const shown = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  url = `http://${shown}:${port}`;

  return {
    url,
    control,
    stop: async () => {
      abort.abort();
      deliver.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function serve(ctx: SimContext, control: SimControl, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  let response: SimResponse;
  try {
    const target = new URL(req.url ?? "/", "http://sim.invalid");
    const body = await readBody(req);
    const method = req.method ?? "GET";
    if (target.pathname === "/_sim" || target.pathname.startsWith("/_sim/")) {
      response = await handleControl(ctx, control, method, target.pathname, target.searchParams, body);
    } else {
      const route = ROUTES.find((r) => target.pathname === r.prefix || target.pathname.startsWith(`${r.prefix}/`));
      if (!route) {
        response = json(404, {
          error: `Unknown path ${target.pathname}`,
          help: `GET ${ctx.baseUrl()}/_sim lists the vendors' base URLs`,
        });
      } else {
        const request: SimRequest = {
          api: route.api,
          method,
          path: target.pathname.slice(route.prefix.length) || "/",
          query: target.searchParams,
          headers: flatHeaders(req.headers),
          body,
        };
        ctx.state.requests.push(toRecorded(ctx.state.nextSeq(), route.vendor, request));
        response = await route.handle(ctx, request);
      }
    }
  } catch (error) {
    const tooLarge = error instanceof Error && error.message === "request body too large";
    response = json(tooLarge ? 413 : 500, { error: error instanceof Error ? error.message : String(error) });
  }
  if (res.destroyed) return;
  res.writeHead(response.status, response.headers ?? {});
  res.end(response.body ?? "");
}
