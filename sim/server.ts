// `tsx sim/server.ts` (npm run sim): the vendor simulator on SIM_PORT (default 4010), for the
// local demo and for poking at by hand. Ctrl-C stops it.
import { startSimulator } from "./index";

const port = Number(process.env.SIM_PORT ?? 4010);
const host = process.env.SIM_HOST ?? "127.0.0.1";
const delayMs = Number(process.env.SIM_DELAY_MS ?? 1000);

const sim = await startSimulator({ port, host, delayMs });
const accounts = sim.control.accounts();
const line = (label: string, value: string) => console.log(`  ${label.padEnd(30)} ${value}`);

console.log(`[sim] vendor simulator on ${sim.url} (delivery reports after ${delayMs} ms)`);
console.log("[sim] base URLs for the adapters' settings:");
line("Twilio API", `${sim.url}/twilio`);
line("Twilio Messaging Services", `${sim.url}/twilio-messaging`);
line("Twilio Lookup", `${sim.url}/twilio-lookup`);
line("Bandwidth Messaging", `${sim.url}/bandwidth/api/v2`);
line("Bandwidth Numbers (Dashboard)", `${sim.url}/bandwidth-dashboard/api`);
line("Vonage SMS", `${sim.url}/vonage`);
line("MessageMedia REST", `${sim.url}/messagemedia/v1`);
line("MessageMedia SOAP", `${sim.url}/messagemedia-soap/`);
console.log("[sim] demo credentials:");
for (const account of accounts) {
  if (account.vendor === "twilio") line("Twilio", `AccountSid ${account.accountSid}  AuthToken ${account.authToken}`);
  if (account.vendor === "bandwidth")
    line(
      "Bandwidth",
      `account ${account.accountId}  user ${account.username}  password ${account.password}  application ${account.applicationId}`,
    );
  if (account.vendor === "vonage") line("Vonage", `api key ${account.apiKey}  api secret ${account.apiSecret}`);
  if (account.vendor === "messagemedia-rest")
    line("MessageMedia REST", `API key ${account.apiKey}  API secret ${account.apiSecret}`);
  if (account.vendor === "messagemedia-soap") line("MessageMedia SOAP", `userId ${account.userId}  password ${account.password}`);
}
console.log(
  `[sim] control API: GET ${sim.url}/_sim (webhook URLs: POST ${sim.url}/_sim/accounts; a phone texts you: POST ${sim.url}/_sim/inbound)`,
);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    void sim.stop().then(() => process.exit(0));
  });
}
