import { ImportWizard } from "@/components/contacts/import-wizard";
import { ButtonLink } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Icon } from "@/components/ui/icon";
import { PageHeader } from "@/components/ui/page-header";
import { MAX_CSV_BYTES, MAX_CSV_ROWS, MAX_CUSTOM_FIELDS } from "@/lib/contacts-csv";
import { minRoleFor } from "@/lib/nav";
import { hasRole, requireOrgPage } from "@/lib/tenancy";
import { DEFAULT_COUNTRY } from "@/lib/time";

export const metadata = { title: "Import contacts" };

/**
 * In the supervolunteer group like the list, so its refusal stays a real 404 for texters;
 * a supervolunteer is told who can import rather than shown a page that isn't there.
 */
export default async function ImportContactsPage({ params }: { params: Promise<{ org: string }> }) {
  const ctx = await requireOrgPage((await params).org, minRoleFor("contacts"));
  const contactsHref = `/${ctx.org.slug}/contacts`;
  const country = ctx.org.features.defaultCountry ?? DEFAULT_COUNTRY;
  const back = (
    <ButtonLink href={contactsHref} variant="ghost">
      <Icon name="arrow-left" />
      Back to contacts
    </ButtonLink>
  );
  return (
    <>
      <PageHeader title="Import contacts" description="Add or update many contacts at once from a CSV file." actions={back} />
      {hasRole(ctx.role, "ADMIN") ? (
        <ImportWizard
          orgSlug={ctx.org.slug}
          countryName={new Intl.DisplayNames("en", { type: "region" }).of(country) ?? country}
          limits={{ maxBytes: MAX_CSV_BYTES, maxRows: MAX_CSV_ROWS, maxCustomFields: MAX_CUSTOM_FIELDS }}
          contactsHref={contactsHref}
        />
      ) : (
        <EmptyState
          icon="upload"
          title="Only admins can import contacts"
          description="An import can add or change thousands of contacts at once, so it takes an admin or owner. Ask one of them, or add contacts one at a time from the contacts page."
          action={<ButtonLink href={contactsHref}>Go to contacts</ButtonLink>}
        />
      )}
    </>
  );
}
