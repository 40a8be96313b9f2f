import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { Providers } from "@/components/providers";
import "./globals.css";

export const metadata: Metadata = {
  title: { template: "%s · Switchboard", default: "Switchboard" },
  description: "Multi-tenant SMS vendor hub",
};

export const viewport: Viewport = {
  themeColor: "#09090b",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-zinc-50 font-sans text-sm text-zinc-900 antialiased">
        <Providers>{children}</Providers>
      </body>
    </html>
  );
}
