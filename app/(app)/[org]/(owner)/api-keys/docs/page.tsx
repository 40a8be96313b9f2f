import type { ReactNode } from "react";
import { BackLink } from "@/components/vendors/back-link";
import { Badge } from "@/components/ui/badge";
import { buttonClasses, ButtonLink } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { CopyButton } from "@/components/ui/copy-button";
import { Icon } from "@/components/ui/icon";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { describeEndpoints, objectFields, type DocEndpoint, type DocField } from "@/lib/api/docs";
import { ERROR_CODES } from "@/lib/api/errors";
import { buildOpenApiDocument } from "@/lib/api/openapi";
import { apiRateLimits } from "@/lib/api/rate-limit";
import { publicUrl } from "@/lib/env";
import { minRoleFor } from "@/lib/nav";
import { requireOrgPage } from "@/lib/tenancy";

export const metadata = { title: "API reference" };

/** The REST API reference, rendered from the same OpenAPI document served at /api/v1/openapi.json. */
export default async function ApiDocsPage({ params }: { params: Promise<{ org: string }> }) {
  const ctx = await requireOrgPage((await params).org, minRoleFor("api-keys"));
  const doc = buildOpenApiDocument(publicUrl());
  const baseUrl = doc.servers[0]!.url;
  const endpoints = describeEndpoints(doc);
  const tags = [...new Set(endpoints.map((e) => e.tag))];
  const limits = apiRateLimits();
  const errorFields = objectFields(
    (doc.components.schemas.Error?.properties as { error: Record<string, unknown> }).error,
    doc.components.schemas,
  );
  const keysHref = `/${ctx.org.slug}/api-keys`;

  return (
    <div>
      <BackLink href={keysHref} label="API keys" />
      <PageHeader
        title="API reference"
        description="Send text messages, one-time passcodes and shift offers from your own systems, and read the replies. Every request is JSON over HTTPS, authenticated with one of this organization's API keys."
        actions={
          <>
            <a href="/api/v1/openapi.json" className={buttonClasses("secondary")} download="switchboard-openapi.json">
              <Icon name="upload" className="rotate-180" />
              OpenAPI 3.1
            </a>
            <ButtonLink href={keysHref}>
              <Icon name="key" />
              Create a key
            </ButtonLink>
          </>
        }
      />

      <div className="grid gap-10 lg:grid-cols-[12.5rem_minmax(0,1fr)]">
        <nav aria-label="API reference" className="hidden lg:block">
          <div className="sticky top-10 space-y-5 text-[13px]">
            <TocGroup
              title="Guide"
              links={[
                ["overview", "Getting started"],
                ["errors", "Errors"],
              ]}
            />
            {tags.map((tag) => (
              <div key={tag}>
                <p className="mb-1.5 text-[11px] font-medium tracking-wider text-zinc-400 uppercase">{tag}</p>
                <ul className="space-y-1">
                  {endpoints
                    .filter((e) => e.tag === tag)
                    .map((e) => (
                      <li key={e.anchor}>
                        <a href={`#${e.anchor}`} className="flex items-start gap-2 rounded text-zinc-600 hover:text-zinc-950">
                          <MethodPill method={e.method} small />
                          <span className="leading-snug">{e.summary}</span>
                        </a>
                      </li>
                    ))}
                </ul>
              </div>
            ))}
          </div>
        </nav>

        <div className="min-w-0 space-y-12">
          <section id="overview" aria-labelledby="overview-title" className="scroll-mt-20 lg:scroll-mt-6 space-y-4">
            <SectionTitle id="overview-title">Getting started</SectionTitle>
            <Card>
              <CardBody className="space-y-1.5">
                <p className="text-[13px] font-medium text-zinc-500">Base URL</p>
                <div className="flex flex-wrap items-center gap-2">
                  <code className="min-w-0 flex-1 truncate rounded-lg bg-zinc-100 px-3 py-2 font-mono text-[13px] text-zinc-900">
                    {baseUrl}
                  </code>
                  <CopyButton text={baseUrl} label="Copy URL" />
                </div>
              </CardBody>
            </Card>
            <div className="grid gap-4 md:grid-cols-2">
              <Fact icon="key" title="Authentication">
                Send a key from the{" "}
                <a href={keysHref} className="font-medium text-indigo-600 hover:underline">
                  API keys page
                </a>{" "}
                as <InlineCode>Authorization: Bearer sb_live_…</InlineCode> (or <InlineCode>X-Api-Key</InlineCode>). A missing,
                unknown or revoked key gets 401.
              </Fact>
              <Fact icon="refresh" title="Rate limits">
                Each key may make {limits.perSecond} requests a second, in bursts of up to {limits.burst}. Past that you get 429
                with <InlineCode>Retry-After</InlineCode> in seconds; <InlineCode>X-RateLimit-Remaining</InlineCode> shows what is
                left.
              </Fact>
              <Fact icon="check-circle" title="Idempotency">
                Give every message an <InlineCode>idempotencyKey</InlineCode>. Retrying with the same key returns the first
                message with <InlineCode>created: false</InlineCode> and never texts twice, even when the retries race.
              </Fact>
              <Fact icon="chat" title="Replies and pagination">
                Replies land in the conversation of the message you sent (<InlineCode>conversationId</InlineCode>). Lists return{" "}
                <InlineCode>nextCursor</InlineCode>; pass it as <InlineCode>cursor</InlineCode> until it is null.
              </Fact>
            </div>
          </section>

          <section id="errors" aria-labelledby="errors-title" className="scroll-mt-20 lg:scroll-mt-6 space-y-4">
            <SectionTitle id="errors-title">Errors</SectionTitle>
            <p className="max-w-3xl text-sm leading-relaxed text-zinc-600">
              Anything that is not a 2xx answers with one JSON shape. Bad input is always a 4xx naming the field at fault, and
              nothing is written or sent for a refused request.
            </p>
            <CodeBlock
              title="Error body"
              code={JSON.stringify(
                { error: { code: "invalid_request", message: "to: Not a valid number for US", field: "to" } },
                null,
                2,
              )}
            />
            <FieldTable caption="The error object" fields={errorFields} />
            <Table>
              <caption className="sr-only">Error codes</caption>
              <THead>
                <TR>
                  <TH className="w-20">Status</TH>
                  <TH>Code</TH>
                  <TH>When</TH>
                </TR>
              </THead>
              <TBody>
                {ERROR_CODES.map((e) => (
                  <TR key={e.code}>
                    <TD>
                      <StatusBadge status={String(e.status)} />
                    </TD>
                    <TD>
                      <code className="font-mono text-[13px] text-zinc-900">{e.code}</code>
                    </TD>
                    <TD className="text-[13px]">{renderInline(e.meaning)}</TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          </section>

          {tags.map((tag) => (
            <section key={tag} aria-label={tag} className="space-y-6">
              <SectionTitle>{tag}</SectionTitle>
              {endpoints
                .filter((e) => e.tag === tag)
                .map((endpoint) => (
                  <EndpointCard key={endpoint.anchor} endpoint={endpoint} />
                ))}
            </section>
          ))}
        </div>
      </div>
    </div>
  );
}

function EndpointCard({ endpoint }: { endpoint: DocEndpoint }) {
  return (
    <Card id={endpoint.anchor} className="scroll-mt-20 lg:scroll-mt-6">
      <div className="flex flex-wrap items-center gap-3 border-b border-zinc-100 px-5 py-4">
        <MethodPill method={endpoint.method} />
        <code className="font-mono text-[14px] font-semibold text-zinc-900">/api/v1{endpoint.path}</code>
        <span className="text-sm text-zinc-500">{endpoint.summary}</span>
      </div>
      <CardBody className="space-y-5">
        <p className="max-w-3xl text-sm leading-relaxed text-zinc-600">{renderInline(endpoint.description)}</p>
        {endpoint.parameters.length > 0 ? <FieldTable caption="Parameters" fields={endpoint.parameters} /> : null}
        {endpoint.body ? <FieldTable caption="JSON body" fields={endpoint.body.fields} /> : null}
        <div>
          <h4 className="mb-2 text-[13px] font-semibold text-zinc-900">Responses</h4>
          <ul className="divide-y divide-zinc-100 rounded-lg border border-zinc-200">
            {endpoint.responses.map((r) => (
              <li key={r.status} className="flex gap-3 px-3 py-2 text-[13px]">
                <StatusBadge status={r.status} />
                <span className="min-w-0 flex-1 text-zinc-600">{renderInline(r.description)}</span>
                {r.schema ? <code className="hidden shrink-0 font-mono text-xs text-zinc-400 sm:block">{r.schema}</code> : null}
              </li>
            ))}
          </ul>
        </div>
        <div className="grid gap-4 2xl:grid-cols-2">
          <CodeBlock title="Request" code={endpoint.curl} copy />
          {endpoint.exampleResponse ? (
            <CodeBlock title={`Response ${endpoint.exampleResponse.status}`} code={endpoint.exampleResponse.json} />
          ) : null}
        </div>
      </CardBody>
    </Card>
  );
}

function FieldTable({ caption, fields }: { caption: string; fields: DocField[] }) {
  return (
    <div>
      <h4 className="mb-2 text-[13px] font-semibold text-zinc-900">{caption}</h4>
      <ul className="divide-y divide-zinc-100 rounded-lg border border-zinc-200">
        {fields.map((f) => (
          <li key={`${f.in ?? ""}${f.name}`} className="grid gap-1 px-3 py-2.5 sm:grid-cols-[12rem_minmax(0,1fr)] sm:gap-4">
            <div className="min-w-0">
              <code className="font-mono text-[13px] font-semibold text-zinc-900">{f.name}</code>
              <div className="mt-0.5 flex flex-wrap items-center gap-1.5 text-xs text-zinc-500">
                <span className="font-mono break-all">{f.type}</span>
                {f.required ? <span className="font-medium text-amber-700">required</span> : null}
                {f.in && f.in !== "query" ? <span>in {f.in}</span> : null}
              </div>
            </div>
            <div className="min-w-0 text-[13px] leading-relaxed text-zinc-600">
              {renderInline(f.description)}
              {f.constraints.length > 0 ? (
                <span className="mt-1 flex flex-wrap gap-1">
                  {f.constraints.map((c) => (
                    <Badge key={c}>{c}</Badge>
                  ))}
                </span>
              ) : null}
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}

function CodeBlock({ title, code, copy = false }: { title: string; code: string; copy?: boolean }) {
  return (
    <div className="min-w-0 overflow-hidden rounded-lg border border-zinc-800 bg-zinc-950">
      <div className="flex h-9 items-center justify-between border-b border-white/10 px-3">
        <span className="text-xs font-medium text-zinc-400">{title}</span>
        {copy ? (
          <span className="[&_button]:h-6 [&_button]:border-white/15 [&_button]:bg-white/5 [&_button]:text-zinc-300 [&_button]:shadow-none [&_button:hover]:bg-white/10">
            <CopyButton text={code} label="Copy" />
          </span>
        ) : null}
      </div>
      <pre className="overflow-x-auto p-3 font-mono text-[12.5px] leading-relaxed text-zinc-100">
        <code>{code}</code>
      </pre>
    </div>
  );
}

function MethodPill({ method, small = false }: { method: string; small?: boolean }) {
  return (
    <span
      className={cn(
        "inline-flex shrink-0 items-center justify-center rounded font-mono font-semibold",
        small ? "w-9 py-px text-[10px]" : "w-12 py-0.5 text-xs",
        method === "GET"
          ? "bg-emerald-50 text-emerald-700 ring-1 ring-emerald-600/20"
          : "bg-indigo-50 text-indigo-700 ring-1 ring-indigo-600/20",
      )}
    >
      {method}
    </span>
  );
}

function StatusBadge({ status }: { status: string }) {
  const tone = status.startsWith("2")
    ? "green"
    : status === "429" || status === "410"
      ? "yellow"
      : status.startsWith("5")
        ? "red"
        : "gray";
  return (
    <Badge tone={tone} className="w-11 justify-center font-mono">
      {status}
    </Badge>
  );
}

function Fact({
  icon,
  title,
  children,
}: {
  icon: "key" | "refresh" | "check-circle" | "chat";
  title: string;
  children: ReactNode;
}) {
  return (
    <Card>
      <CardHeader title={title} className="border-b-0 pb-0" />
      <CardBody className="flex gap-3 pt-2 text-[13px] leading-relaxed text-zinc-600">
        <Icon name={icon} className="mt-0.5 size-4 shrink-0 text-indigo-500" />
        <p>{children}</p>
      </CardBody>
    </Card>
  );
}

function TocGroup({ title, links }: { title: string; links: [string, string][] }) {
  return (
    <div>
      <p className="mb-1.5 text-[11px] font-medium tracking-wider text-zinc-400 uppercase">{title}</p>
      <ul className="space-y-1">
        {links.map(([href, label]) => (
          <li key={href}>
            <a href={`#${href}`} className="text-zinc-600 hover:text-zinc-950">
              {label}
            </a>
          </li>
        ))}
      </ul>
    </div>
  );
}

function SectionTitle({ id, children }: { id?: string; children: ReactNode }) {
  return (
    <h2 id={id} className="text-lg font-semibold tracking-tight text-zinc-900">
      {children}
    </h2>
  );
}

function InlineCode({ children }: { children: ReactNode }) {
  return <code className="rounded bg-zinc-100 px-1 py-px font-mono text-[12px] text-zinc-800">{children}</code>;
}

/** Descriptions use `backticks` for code, as in the OpenAPI document. */
function renderInline(text: string): ReactNode[] {
  return text.split("`").map((part, i) => (i % 2 === 1 ? <InlineCode key={i}>{part}</InlineCode> : <span key={i}>{part}</span>));
}
