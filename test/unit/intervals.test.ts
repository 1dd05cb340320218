import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { attendedOnline, coveredMinutes, mergeIntervals } from "../../app/attendance/intervals";

const at = (time: string) => new Date(`2026-06-01T${time}:00Z`);
const span = (start: string, end: string) => ({ start: at(start), end: at(end) });

describe("online intervals", () => {
  it("merge rejoins that overlap or touch, and keep gaps", () => {
    const merged = mergeIntervals([span("10:30", "11:00"), span("09:00", "10:00"), span("09:50", "10:10"), span("10:10", "10:20")]);
    assert.deepEqual(merged, [span("09:00", "10:20"), span("10:30", "11:00")]);
  });

  it("count time on two devices at once only once", () => {
    assert.equal(coveredMinutes([span("09:00", "10:00"), span("09:15", "09:45")]), 60);
    assert.equal(coveredMinutes([span("09:00", "09:30"), span("09:40", "10:00")]), 50);
    assert.equal(coveredMinutes([]), 0);
  });

  it("count only the time inside the window", () => {
    const item = span("09:00", "10:00");
    assert.equal(attendedOnline([span("08:30", "09:20"), span("09:50", "11:00")], item, 50), true, "20 + 10 of 60 minutes");
    assert.equal(attendedOnline([span("08:30", "09:20"), span("09:50", "11:00")], item, 51), false);
    assert.equal(attendedOnline([span("11:00", "12:00")], item, 1), false);
  });

  it("decide attendance by the meeting's share of the window", () => {
    const item = span("09:00", "10:00");
    assert.equal(attendedOnline([span("09:00", "09:29")], item, 50), false);
    assert.equal(attendedOnline([span("09:00", "09:20"), span("09:10", "09:30")], item, 50), true, "30 of 60 minutes, overlap once");
    assert.equal(attendedOnline([span("08:00", "09:05")], item, 10), false);
    assert.equal(attendedOnline([span("08:00", "09:06")], item, 10), true);
    assert.equal(attendedOnline([span("09:00", "09:01")], span("09:00", "09:00"), 50), false, "an empty window is attended by no one");
  });
});
