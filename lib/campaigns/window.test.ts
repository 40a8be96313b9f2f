import { describe, expect, it } from "vitest";
import { isInsideWindow, nextWindowOpening } from "./window";

const NY = "America/New_York";

describe("sending window", () => {
  it("is open between the hours in the org's time zone", () => {
    // 14:00 UTC in January is 9:00 in New York.
    const nine = new Date("2025-01-15T14:00:00Z");
    expect(isInsideWindow({ startHour: 9, endHour: 21 }, NY, nine)).toBe(true);
    expect(isInsideWindow({ startHour: 10, endHour: 21 }, NY, nine)).toBe(false);
    expect(isInsideWindow(null, NY, nine)).toBe(true);
  });

  it("spans midnight when it starts after it ends", () => {
    const elevenPm = new Date("2025-01-16T04:00:00Z");
    expect(isInsideWindow({ startHour: 22, endHour: 6 }, NY, elevenPm)).toBe(true);
    expect(isInsideWindow({ startHour: 22, endHour: 6 }, NY, new Date("2025-01-15T17:00:00Z"))).toBe(false);
  });

  it("finds the next opening: later today, or tomorrow", () => {
    const early = new Date("2025-01-15T11:20:00Z"); // 6:20 am in New York
    expect(nextWindowOpening({ startHour: 9, endHour: 21 }, NY, early)).toEqual(new Date("2025-01-15T14:00:00Z"));
    const late = new Date("2025-01-16T03:00:00Z"); // 10 pm
    expect(nextWindowOpening({ startHour: 9, endHour: 21 }, NY, late)).toEqual(new Date("2025-01-16T14:00:00Z"));
    expect(nextWindowOpening({ startHour: 9, endHour: 21 }, NY, new Date("2025-01-15T15:00:00Z"))).toBeNull();
  });

  it("handles a half-hour time zone and a daylight-saving change", () => {
    // India is UTC+5:30: 9:00 there is 3:30 UTC.
    expect(nextWindowOpening({ startHour: 9, endHour: 17 }, "Asia/Kolkata", new Date("2025-01-15T01:00:00Z"))).toEqual(
      new Date("2025-01-15T03:30:00Z"),
    );
    // New York springs forward on 2025-03-09: 9:00 that day is 13:00 UTC.
    expect(nextWindowOpening({ startHour: 9, endHour: 21 }, NY, new Date("2025-03-09T06:00:00Z"))).toEqual(
      new Date("2025-03-09T13:00:00Z"),
    );
  });
});
