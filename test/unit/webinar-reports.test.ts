import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, it } from "node:test";
import { durationSeconds, readWebinarReport, type ReadOptions } from "../../app/attendance/webinar-reports.server";

const fixture = (name: string) => readFileSync(path.join("test/fixtures/attendance", name));
const BANGKOK: ReadOptions = { platform: "auto", zone: "Asia/Bangkok" };

function read(content: Uint8Array | string, options: Partial<ReadOptions> = {}) {
  return readWebinarReport(typeof content === "string" ? Buffer.from(content, "utf8") : content, { ...BANGKOK, ...options });
}

function rowsOf(content: Uint8Array | string, options: Partial<ReadOptions> = {}) {
  const reading = read(content, options);
  assert.ok(reading.ok, reading.ok ? "" : reading.message);
  return reading.rows.map((row) => ({ line: row.line, name: row.name, email: row.email, joined: row.joinedAt.toISOString(), left: row.leftAt.toISOString() }));
}

function refusal(content: Uint8Array | string, options: Partial<ReadOptions> = {}): string {
  const reading = read(content, options);
  assert.ok(!reading.ok, "refused");
  return reading.message;
}

/** The sessions every sample report holds, in UTC (the files give Bangkok time, UTC+7). */
const SAMPLE = [
  { name: "Ana Lima", email: "ana.lima@example.org", joined: "2026-06-01T02:00:12.000Z", left: "2026-06-01T03:30:00.000Z" },
  { name: "Ana Lima", email: "ana.lima@example.org", joined: "2026-06-01T03:20:00.000Z", left: "2026-06-01T05:00:00.000Z" },
  { name: "Ana Lima", email: "ana.lima@example.org", joined: "2026-06-01T06:00:00.000Z", left: "2026-06-01T07:00:00.000Z" },
  { name: "Bui Van Minh", email: "minh.bui@example.org", joined: "2026-06-01T02:05:00.000Z", left: "2026-06-01T04:00:00.000Z" },
  { name: "Chen Wei", email: "chen.wei@example.org", joined: "2026-06-01T02:00:00.000Z", left: "2026-06-01T03:00:00.000Z" },
  { name: "Tuhoe, Kiri", email: "kiri@partner.example.net", joined: "2026-06-01T02:10:00.000Z", left: "2026-06-01T02:40:00.000Z" },
];
const sorted = <T extends { joined: string; name: string }>(rows: T[]) => [...rows].sort((a, b) => a.name.localeCompare(b.name) || a.joined.localeCompare(b.joined));
const withoutLines = <T extends { line: number }>(rows: T[]) => rows.map(({ line: _line, ...row }) => row);

describe("reading webinar reports", () => {
  for (const [file, platform] of [
    ["zoom-with-summary.csv", "zoom"],
    ["zoom-plain.csv", "zoom"],
    ["teams-attendance.csv", "teams"],
    ["teams-german.csv", "teams"],
    ["webex-attendees.csv", "webex"],
  ] as const) {
    it(`reads ${file} as ${platform}, every session with its instant`, () => {
      const reading = read(fixture(file));
      assert.ok(reading.ok, reading.ok ? "" : reading.message);
      assert.equal(reading.platform, platform);
      assert.deepEqual(sorted(withoutLines(rowsOf(fixture(file)))), sorted(SAMPLE));
    });
  }

  it("reads Zoom's participants after its meeting-summary block, each row with its own line, renamed people by their new name", () => {
    const rows = rowsOf(fixture("zoom-with-summary.csv"));
    assert.deepEqual(
      rows.map((row) => [row.line, row.name]),
      [
        [5, "Ana Lima"],
        [6, "Bui Van Minh"],
        [7, "Ana Lima"],
        [8, "Chen Wei"],
        [9, "Tuhoe, Kiri"],
        [10, "Ana Lima"],
      ],
    );
  });

  it("reads Teams' in-meeting activities (a row per join) rather than its participants' first join and last leave", () => {
    const rows = rowsOf(fixture("teams-attendance.csv"));
    assert.deepEqual(rows.map((row) => row.line), [18, 19, 20, 21, 22, 23]);
  });

  it("reads Teams' participants section when the report has no activities", () => {
    const text = [
      "1. Summary",
      "Meeting title\tBudget review",
      "",
      "2. Participants",
      "Name\tFirst Join\tLast Leave\tIn-Meeting Duration\tEmail\tParticipant ID (UPN)\tRole",
      "Ana Lima\t6/1/26, 9:00:12 AM\t6/1/26, 2:00:00 PM\t4h 59m 48s\t\tAna.Lima@example.org\tAttendee",
    ].join("\r\n");
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]);
    assert.deepEqual(rowsOf(bytes), [{ line: 6, name: "Ana Lima", email: "ana.lima@example.org", joined: "2026-06-01T02:00:12.000Z", left: "2026-06-01T07:00:00.000Z" }]);
  });

  it("pairs the older Teams list of events into intervals, closing at the list's end whoever is still there", () => {
    const rows = rowsOf(fixture("teams-legacy.csv"));
    assert.deepEqual(rows, [
      { line: 2, name: "Ana Lima", email: null, joined: "2026-06-01T02:00:12.000Z", left: "2026-06-01T03:30:00.000Z" },
      { line: 3, name: "Chen Wei", email: null, joined: "2026-06-01T02:00:00.000Z", left: "2026-06-01T03:00:00.000Z" },
      { line: 4, name: "Bui Van Minh", email: null, joined: "2026-06-01T02:05:00.000Z", left: "2026-06-01T04:00:00.000Z" },
      { line: 5, name: "Kiri Tuhoe", email: null, joined: "2026-06-01T02:10:00.000Z", left: "2026-06-01T02:40:00.000Z" },
      { line: 10, name: "Ana Lima", email: null, joined: "2026-06-01T06:00:00.000Z", left: "2026-06-01T07:00:00.000Z" },
      { line: 11, name: "Kiri Tuhoe", email: null, joined: "2026-06-01T06:30:00.000Z", left: "2026-06-01T07:00:00.000Z" },
    ]);
    assert.match(refusal("Full Name\tUser Action\tTimestamp\nAna Lima\tWaved\t6/1/2026, 9:00:12 AM\n"), /^Line 2: the action “Waved” is neither Joined nor Left\.$/);
  });

  it("reads every table of Zoom's webinar report (host, panelists, attendees), passing over registrants who did not attend", () => {
    const text = [
      "Attendee Report",
      "Report Generated:,06/02/2026 08:00:00 AM",
      "Topic,Webinar ID,Actual Start Time,Actual Duration (minutes),# Registered,Unique Viewers",
      "Digital connectivity,812 3456 7890,06/01/2026 08:55:02 AM,191,3,2",
      "",
      "Host Details",
      "Attended,User Name (Original Name),Email,Join Time,Leave Time,Time in Session (minutes),Is Guest",
      "Yes,Host (ESCAP Secretariat),host@escap.example.org,06/01/2026 08:55:02 AM,06/01/2026 12:06:00 PM,191,No",
      "",
      "Panelist Details",
      "Attended,User Name (Original Name),Email,Join Time,Leave Time,Time in Session (minutes),Is Guest",
      "Yes,Chen Wei,chen.wei@example.org,06/01/2026 09:00:00 AM,06/01/2026 10:00:00 AM,60,No",
      "",
      "Attendee Details",
      "Attended,User Name (Original Name),First Name,Last Name,Email,Registration Time,Join Time,Leave Time,Time in Session (minutes),Is Guest",
      "Yes,Ana Lima,Ana,Lima,ana.lima@example.org,05/20/2026 10:00:00 AM,06/01/2026 09:00:12 AM,06/01/2026 10:30:00 AM,90,Yes",
      "No,,Bo,Tran,bo.tran@example.org,05/21/2026 10:00:00 AM,--,--,--,Yes",
    ].join("\n");
    const reading = read(text);
    assert.ok(reading.ok && reading.platform === "zoom", reading.ok ? reading.platform : reading.message);
    assert.deepEqual(rowsOf(text).map((row) => [row.line, row.name, row.email]), [
      [8, "Host", "host@escap.example.org"],
      [12, "Chen Wei", "chen.wei@example.org"],
      [16, "Ana Lima", "ana.lima@example.org"],
    ]);
  });

  it("decodes UTF-8 with and without a mark, UTF-16 little- and big-endian with a mark, and UTF-16 without one", () => {
    const text = "Name,Email,Join time,Leave time,Attendance duration,Connection type\nJosé Núñez,jose@example.org,2026-06-01 09:00,2026-06-01 10:00,60 mins,Web app\n";
    const expected = [{ line: 2, name: "José Núñez", email: "jose@example.org", joined: "2026-06-01T02:00:00.000Z", left: "2026-06-01T03:00:00.000Z" }];
    const le = Buffer.from(text, "utf16le");
    const be = Buffer.from(le).swap16();
    for (const [label, bytes] of [
      ["UTF-8", Buffer.from(text, "utf8")],
      ["UTF-8 with a mark", Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, "utf8")])],
      ["UTF-16LE with a mark", Buffer.concat([Buffer.from([0xff, 0xfe]), le])],
      ["UTF-16BE with a mark", Buffer.concat([Buffer.from([0xfe, 0xff]), be])],
      ["UTF-16LE without a mark", le],
      ["UTF-16BE without a mark", be],
      ["Windows-1252", Buffer.from(text.replace("é", "\u00e9"), "latin1")],
    ] as const) {
      assert.deepEqual(rowsOf(bytes), expected, label);
    }
  });

  it("reads semicolons and tabs as well as commas, with quoted fields holding the delimiter", () => {
    const semicolons = 'Name (Original Name);User Email;Join Time;Leave Time;Duration (Minutes);Guest\n"Lima; Ana";ana@example.org;01.06.2026 09:00;01.06.2026 10:30;90;Nein\n';
    assert.deepEqual(rowsOf(semicolons), [{ line: 2, name: "Lima; Ana", email: "ana@example.org", joined: "2026-06-01T02:00:00.000Z", left: "2026-06-01T03:30:00.000Z" }]);
    const tabs = "Name\tEmail\tJoin time\tLeave time\tAttendance duration\tConnection type\nAna\tana@example.org\t2026-06-01 09:00\t2026-06-01 09:30\t30 mins\tPhone\n";
    assert.equal(rowsOf(tabs).length, 1);
  });

  describe("dates in the exporter's locale", () => {
    const webex = (join: string, leave = "", duration = "60 mins") =>
      `Name,Email,Join time,Leave time,Attendance duration,Connection type\nAna,ana@example.org,"${join}","${leave}",${duration},Web app\n`;
    const joined = (join: string, options: Partial<ReadOptions> = {}) => rowsOf(webex(join), options)[0]!.joined;

    it("decides day-first or month-first from a field above 12, else by the organiser's choice, else by the separator", () => {
      assert.equal(joined("13/06/2026 09:00"), "2026-06-13T02:00:00.000Z", "13 is no month: day first");
      assert.equal(joined("06/13/2026 09:00"), "2026-06-13T02:00:00.000Z", "13 is no month: month first");
      assert.equal(joined("06/01/2026 09:00"), "2026-06-01T02:00:00.000Z", "slashes: month first");
      assert.equal(joined("01.06.2026 09:00"), "2026-06-01T02:00:00.000Z", "dots: day first");
      assert.equal(joined("06/01/2026 09:00", { dateOrder: "day-first" }), "2026-01-06T02:00:00.000Z", "the organiser's choice");
      assert.equal(joined("06.01.2026 09:00", { dateOrder: "month-first" }), "2026-06-01T02:00:00.000Z");
      // One row decides for the whole file.
      const file = "Name,Email,Join time,Leave time,Attendance duration,Connection type\nAna,a@example.org,06/01/2026 09:00,06/01/2026 10:00,,Web\nBo,b@example.org,25/01/2026 09:00,25/01/2026 10:00,,Web\n";
      assert.deepEqual(rowsOf(file).map((row) => row.joined), ["2026-01-06T02:00:00.000Z", "2026-01-25T02:00:00.000Z"]);
    });

    it("reads 12-hour and 24-hour clocks, with or without seconds, two-digit years, ISO, month names and explicit offsets", () => {
      const cases: [string, string][] = [
        ["06/01/2026 09:00:12 AM", "2026-06-01T02:00:12.000Z"],
        ["6/1/26, 9:00:12 PM", "2026-06-01T14:00:12.000Z"],
        ["6/1/26, 12:30 AM", "2026-05-31T17:30:00.000Z"],
        ["6/1/26, 12:30 PM", "2026-06-01T05:30:00.000Z"],
        ["1.6.2026, 09:00:12", "2026-06-01T02:00:12.000Z"],
        ["2026-06-01 09:00:12", "2026-06-01T02:00:12.000Z"],
        ["2026-06-01T09:00:12Z", "2026-06-01T09:00:12.000Z"],
        ["2026-06-01T09:00:12+02:00", "2026-06-01T07:00:12.000Z"],
        ["2026-06-01 09:00:12.345 -0530", "2026-06-01T14:30:12.000Z"],
        ["06/01/2026 09:00 UTC", "2026-06-01T09:00:00.000Z"],
        ["06/01/2026 9:00 AM GMT+7", "2026-06-01T02:00:00.000Z"],
        ["Jun 1, 2026 9:00 AM", "2026-06-01T02:00:00.000Z"],
        ["1 June 2026 09:00", "2026-06-01T02:00:00.000Z"],
      ];
      for (const [text, expected] of cases) assert.equal(joined(text), expected, text);
    });

    it("reads a time of day with the row's date column (Webex), a leave past midnight on the next day", () => {
      const text = "Name,Email,Date,Join time,Leave time,Attendance duration\nAna,ana@example.org,06/01/2026,11:30 PM,12:15 AM,45 mins\n";
      assert.deepEqual(rowsOf(text).map((row) => [row.joined, row.left]), [["2026-06-01T16:30:00.000Z", "2026-06-01T17:15:00.000Z"]]);
    });

    it("reads times in the chosen zone, and columns marked UTC in UTC", () => {
      assert.equal(joined("2026-06-01 09:00", { zone: "Europe/Berlin" }), "2026-06-01T07:00:00.000Z");
      const utc = "Name,Email,Join time (UTC),Leave time (UTC),Attendance duration\nAna,ana@example.org,2026-06-01 09:00,2026-06-01 10:00,60 mins\n";
      assert.equal(rowsOf(utc)[0]!.joined, "2026-06-01T09:00:00.000Z");
    });

    it("refuses a time the clocks skip in the zone, naming the line", () => {
      const gap = webex("2026-03-29 02:30");
      assert.equal(
        refusal(gap, { zone: "Europe/Berlin" }),
        "Line 2: the join time “2026-03-29 02:30” does not exist in Europe/Berlin: the clocks skip that hour when summer time starts.",
      );
    });

    it("takes the leave time as the join time plus the duration when the leave time is missing", () => {
      const rows = rowsOf(webex("06/01/2026 09:00", "", "1h 5m 3s"));
      assert.equal(rows[0]!.left, "2026-06-01T03:05:03.000Z");
      const zoom = "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\nAna,ana@example.org,06/01/2026 09:00:00 AM,,65,No\n";
      assert.equal(rowsOf(zoom)[0]!.left, "2026-06-01T03:05:00.000Z");
    });
  });

  it("reads durations as the platforms write them", () => {
    const cases: [string, number | null][] = [
      ["65", 65 * 60],
      ["65 mins", 65 * 60],
      ["65 min", 65 * 60],
      ["1h 5m 3s", 3903],
      ["3h 0m 58s", 3 * 3600 + 58],
      ["1 hr 5 min", 3900],
      ["2 hours 1 minute", 7260],
      ["45s", 45],
      ["01:05:03", 3903],
      ["65:03", 3903],
      ["1,5", 90],
      ["soon", null],
      ["5 apples", null],
      ["", null],
    ];
    for (const [text, seconds] of cases) assert.equal(durationSeconds(text), seconds, text);
  });

  describe("refusals", () => {
    const header = "Name,Email,Join time,Leave time,Attendance duration,Connection type\n";
    it("names the line of a date that is no date, whichever the reason", () => {
      assert.equal(refusal(`${header}Ana,a@example.org,06/01/2026 09:00,06/01/2026 10:00,,Web\nBo,b@example.org,31/31/2026 9:00,31/31/2026 10:00,,Web\n`), "Line 3: the join time “31/31/2026 9:00” is not a date and time.");
      assert.equal(refusal(`${header}Ana,a@example.org,06/01/2026 09:00,tomorrow,,Web\n`), "Line 2: the leave time “tomorrow” is not a date and time.");
      assert.equal(refusal(`${header}Ana,a@example.org,06/01/2026 25:00,,60,Web\n`), "Line 2: the join time “06/01/2026 25:00” is not a date and time.");
      assert.equal(refusal(`${header}Ana,a@example.org,02/30/2026 09:00,,60,Web\n`), "Line 2: the join time “02/30/2026 09:00” is not a date and time.");
    });

    it("names the line of a row without a join time, a leave time or a name, or leaving before joining", () => {
      assert.equal(refusal(`${header}Ana,a@example.org,,06/01/2026 10:00,,Web\n`), "Line 2: the join time is missing.");
      assert.equal(refusal(`${header}Ana,a@example.org,06/01/2026 09:00,,,Web\n`), "Line 2: the leave time is missing, and no duration is given.");
      assert.equal(refusal(`${header}Ana,a@example.org,06/01/2026 09:00,,a while,Web\n`), "Line 2: the duration “a while” is not a duration (e.g. 65, 65 mins, 1h 5m 3s, 01:05:03).");
      assert.equal(refusal(`${header},,06/01/2026 09:00,06/01/2026 10:00,,Web\n`), "Line 2: the row has neither a name nor an email address.");
      assert.equal(refusal(`${header}Ana,a@example.org,06/01/2026 10:00,06/01/2026 09:00,,Web\n`), "Line 2: the leave time “06/01/2026 09:00” is before the join time “06/01/2026 10:00”.");
    });

    it("refuses empty files, PDFs, workbooks, binaries and files that are no attendance report", () => {
      assert.equal(refusal(""), "The file is empty.");
      assert.equal(refusal("\r\n\r\n"), "The file is empty.");
      assert.match(refusal("%PDF-1.7\n..."), /^This is a PDF\./);
      assert.match(refusal(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0])), /workbook or an archive/);
      assert.match(refusal(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48])), /not a text \(CSV\) file/);
      assert.match(refusal("First name,Last name,Email,Organisation,Country\nAna,Lima,ana@example.org,MIC,VN\n"), /^This is not a webinar attendance report/);
      assert.match(refusal(header), /^The report has no participant rows \(its table starts on line 1\)\.$/);
    });

    it("refuses a report of another platform than the one chosen, and one it cannot place without a choice", () => {
      assert.equal(refusal(fixture("zoom-plain.csv"), { platform: "teams" }), "This looks like a Zoom report, not Microsoft Teams: choose Zoom, or “Detect”.");
      const plain = "Name,Email,Join time,Leave time\nAna,a@example.org,2026-06-01 09:00,2026-06-01 10:00\n";
      assert.match(refusal(plain), /^Could not tell which platform/);
      assert.equal(rowsOf(plain, { platform: "webex" }).length, 1);
    });
  });

  it("refuses a quoted value that is never closed, naming the line it starts on", () => {
    const text = [
      "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest",
      "Ana Lima,ana.lima@example.org,06/01/2026 09:00:00 AM,06/01/2026 10:00:00 AM,60,No",
      '"Chen Wei,chen.wei@example.org,06/01/2026 09:00:00 AM,06/01/2026 10:00:00 AM,60,No',
      "Bui Van Minh,minh.bui@example.org,06/01/2026 09:00:00 AM,06/01/2026 10:00:00 AM,60,No",
    ].join("\n");
    assert.equal(refusal(text), "Line 3: a quotation mark opens a value that is never closed. Export the report again, or correct that line.");
  });

  it("refuses a session longer than a day, from its duration, its leave time or the end of Teams' list of events", () => {
    const zoom = (duration: string, leave = "") =>
      `Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest\nAna Lima,ana.lima@example.org,06/01/2026 09:00:00 AM,${leave},${duration},No\n`;
    const tooLong = "Line 2: the session lasts more than 24 hours: check its leave time or duration.";
    // A date beyond what a JavaScript date holds, and one in the year 21039.
    assert.equal(refusal(zoom("99999999999999999")), tooLong);
    assert.equal(refusal(zoom("9999999999")), tooLong);
    assert.equal(refusal(zoom("1441")), tooLong);
    assert.equal(refusal(zoom("60", "06/03/2026 09:00:00 AM")), tooLong);
    assert.equal(rowsOf(zoom("1440"))[0]!.left, "2026-06-02T02:00:00.000Z", "a whole day is still a session");
    const events = "Full Name\tUser Action\tTimestamp\nAna Lima\tJoined\t6/1/2026, 9:00:00 AM\nChen Wei\tJoined\t6/3/2026, 9:00:00 AM\nChen Wei\tLeft\t6/3/2026, 9:30:00 AM\n";
    assert.equal(refusal(events), tooLong);
  });
});
