import { OrgNotFound } from "@/components/ui/org-not-found";

/** A missing campaign, another org's id and a page above the viewer's role all look the same. */
export function TexterNotFound() {
  return (
    <OrgNotFound
      icon="megaphone"
      title="Campaign not found"
      description="The link may be wrong, or the campaign is not one you can work on. Your campaigns are listed on the Campaigns page."
      back={{ path: "campaigns", label: "Campaigns" }}
    />
  );
}
