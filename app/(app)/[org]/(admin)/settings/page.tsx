import { getCountries } from "libphonenumber-js";
import { OrgSettingsForm } from "@/components/settings/org-settings-form";
import { Card, CardBody } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { minRoleFor } from "@/lib/nav";
import { requireOrgPage } from "@/lib/tenancy";
import { DEFAULT_COUNTRY, DEFAULT_TIME_ZONE } from "@/lib/time";

export const metadata = { title: "Settings" };

export default async function SettingsPage({ params }: { params: Promise<{ org: string }> }) {
  const ctx = await requireOrgPage((await params).org, minRoleFor("settings"));
  const f = ctx.org.features;
  const regionNames = new Intl.DisplayNames(["en"], { type: "region" });
  const countries = getCountries()
    .map((code) => ({ code, name: regionNames.of(code) ?? code }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return (
    <div className="space-y-6">
      <PageHeader title="Settings" description="How this organization reads phone numbers, keeps time and answers keywords." />
      <Card>
        <CardBody>
          <OrgSettingsForm
            orgSlug={ctx.org.slug}
            countries={countries}
            timeZones={Intl.supportedValuesOf("timeZone")}
            values={{
              name: ctx.org.name,
              defaultCountry: f.defaultCountry ?? DEFAULT_COUNTRY,
              timeZone: f.timeZone ?? DEFAULT_TIME_ZONE,
              helpReply: f.helpReply ?? "",
              optOutKeywords: (f.optOutKeywords ?? []).join(", "),
              optOutConfirmation: f.optOutConfirmation ?? "",
            }}
          />
        </CardBody>
      </Card>
    </div>
  );
}
