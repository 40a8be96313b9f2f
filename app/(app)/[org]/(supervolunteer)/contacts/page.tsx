import { ContactDialog } from "@/components/contacts/contact-dialog";
import { ContactFilters } from "@/components/contacts/contact-filters";
import { ContactStatusBadge, CustomFieldsSummary } from "@/components/contacts/contact-status-badge";
import { Button, ButtonLink } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Icon } from "@/components/ui/icon";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { CONTACT_FILTERS, countContactsByFilter, listContacts, type ContactFilter } from "@/lib/contacts";
import { formatDate } from "@/lib/format";
import { minRoleFor } from "@/lib/nav";
import { formatPhone } from "@/lib/phone";
import { hasRole, requireOrgPage } from "@/lib/tenancy";
import { DEFAULT_COUNTRY } from "@/lib/time";

export const metadata = { title: "Contacts" };

const SAMPLE_CSV = `first_name,last_name,phone,ward
Ada,Lovelace,+14155550123,3
Grace,Hopper,(212) 555-0199,7`;

type SearchParams = { q?: string | string[]; filter?: string | string[]; after?: string | string[] };

export default async function ContactsPage({
  params,
  searchParams,
}: {
  params: Promise<{ org: string }>;
  searchParams: Promise<SearchParams>;
}) {
  const ctx = await requireOrgPage((await params).org, minRoleFor("contacts"));
  const query = await searchParams;
  const q = first(query.q)?.trim() ?? "";
  const filter = (CONTACT_FILTERS as readonly string[]).includes(first(query.filter) ?? "")
    ? (first(query.filter) as ContactFilter)
    : "all";
  const after = first(query.after);
  const country = ctx.org.features.defaultCountry ?? DEFAULT_COUNTRY;
  const countryName = new Intl.DisplayNames("en", { type: "region" }).of(country) ?? country;
  const basePath = `/${ctx.org.slug}/contacts`;
  const [page, counts] = await Promise.all([
    listContacts(ctx.org.id, { q, filter, after, defaultCountry: country }),
    countContactsByFilter(ctx.org.id, q, country),
  ]);
  const canImport = hasRole(ctx.role, "ADMIN");

  const addButton = (
    <ContactDialog
      orgSlug={ctx.org.slug}
      countryName={countryName}
      trigger={{
        label: (
          <>
            <Icon name="plus" />
            Add contact
          </>
        ),
        variant: "secondary",
      }}
    />
  );
  const importButton = canImport ? (
    <ButtonLink href={`${basePath}/import`}>
      <Icon name="upload" />
      Import CSV
    </ButtonLink>
  ) : (
    <span title="Only admins and owners can import contacts" className="inline-flex cursor-not-allowed">
      <Button disabled>
        <Icon name="upload" />
        Import CSV
      </Button>
    </span>
  );

  if (counts.all === 0 && !q) {
    return (
      <>
        <PageHeader
          title="Contacts"
          description="Everyone your organization texts, with what a lookup found and their opt-out status."
        />
        <EmptyState
          icon="users"
          title="No contacts yet"
          description="Import a CSV of names and phone numbers, or add people one at a time. Each number is looked up to tell mobiles from landlines, and anyone who texts one of your numbers is added automatically."
          action={
            <>
              {addButton}
              {importButton}
            </>
          }
        >
          <div className="overflow-hidden rounded-lg border border-zinc-200 bg-white shadow-xs">
            <div className="flex items-center justify-between border-b border-zinc-100 px-4 py-2">
              <p className="text-xs font-medium tracking-wider text-zinc-500 uppercase">Example CSV</p>
              <p className="text-xs text-zinc-400">Phone numbers in any common format</p>
            </div>
            <pre className="overflow-x-auto bg-zinc-50/60 px-4 py-3 font-mono text-xs leading-relaxed text-zinc-700">
              {SAMPLE_CSV}
            </pre>
          </div>
        </EmptyState>
      </>
    );
  }

  const nextHref = page.next ? withQuery(basePath, { filter: filter === "all" ? "" : filter, q, after: page.next }) : null;
  const firstHref = withQuery(basePath, { filter: filter === "all" ? "" : filter, q });
  return (
    <div className="space-y-5">
      <PageHeader
        title="Contacts"
        description="Everyone your organization texts, with what a lookup found and their opt-out status."
        actions={
          <>
            {addButton}
            {importButton}
          </>
        }
      />
      <ContactFilters basePath={basePath} filter={filter} q={q} counts={counts} />
      {page.rows.length === 0 ? (
        <div className="rounded-xl border border-dashed border-zinc-300 bg-white/60 px-6 py-12 text-center">
          <p className="text-sm font-medium text-zinc-900">{q ? `No contacts match “${q}”` : "No contacts here"}</p>
          <p className="mt-1 text-sm text-zinc-500">
            {q ? "Search by first or last name, or by any part of the number." : "Try another filter."}
          </p>
          <ButtonLink href={basePath} variant="secondary" size="sm" className="mt-4">
            Show all contacts
          </ButtonLink>
        </div>
      ) : (
        <Table>
          <THead>
            <TR>
              <TH>Name</TH>
              <TH className="hidden sm:table-cell">Number</TH>
              <TH>Status</TH>
              <TH className="hidden md:table-cell">Carrier</TH>
              <TH className="hidden md:table-cell">Custom fields</TH>
              <TH className="hidden md:table-cell">Added</TH>
              <TH className="text-right">
                <span className="sr-only">Actions</span>
              </TH>
            </TR>
          </THead>
          <TBody>
            {page.rows.map((c) => {
              const name = `${c.firstName} ${c.lastName}`.trim();
              return (
                <TR key={c.id}>
                  <TD className="font-medium whitespace-nowrap text-zinc-900">
                    {name || <span className="font-normal text-zinc-400">No name</span>}
                    <span className="block text-[13px] font-normal text-zinc-500 tabular-nums sm:hidden">
                      {formatPhone(c.e164)}
                    </span>
                  </TD>
                  <TD className="hidden whitespace-nowrap tabular-nums sm:table-cell">{formatPhone(c.e164)}</TD>
                  <TD>
                    <ContactStatusBadge contact={c} />
                  </TD>
                  <TD className="hidden text-[13px] md:table-cell">
                    {c.carrier ?? <span className="text-zinc-400">—</span>}
                    {c.lineType && c.lineType !== "unknown" ? (
                      <span className="block text-xs text-zinc-400 capitalize">{c.lineType}</span>
                    ) : null}
                  </TD>
                  <TD className="hidden md:table-cell">
                    <CustomFieldsSummary fields={c.customFields} />
                  </TD>
                  <TD className="hidden text-[13px] whitespace-nowrap md:table-cell">{formatDate(c.createdAt)}</TD>
                  <TD className="text-right">
                    <ContactDialog
                      orgSlug={ctx.org.slug}
                      countryName={countryName}
                      contact={{
                        id: c.id,
                        firstName: c.firstName,
                        lastName: c.lastName,
                        phone: formatPhone(c.e164),
                        customFields: c.customFields,
                      }}
                      trigger={{ label: "Edit", variant: "ghost", size: "sm", ariaLabel: `Edit ${name || formatPhone(c.e164)}` }}
                    />
                  </TD>
                </TR>
              );
            })}
          </TBody>
        </Table>
      )}
      {after || nextHref ? (
        <div className="flex items-center justify-end gap-2">
          {after ? (
            <ButtonLink href={firstHref} variant="ghost">
              First page
            </ButtonLink>
          ) : null}
          {nextHref ? (
            <ButtonLink href={nextHref} variant="secondary">
              Next page
              <Icon name="arrow-right" />
            </ButtonLink>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function withQuery(path: string, values: Record<string, string>): string {
  const query = new URLSearchParams(Object.entries(values).filter(([, v]) => v !== "")).toString();
  return query ? `${path}?${query}` : path;
}
