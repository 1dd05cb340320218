/**
 * A horizontal bar chart of attendance, drawn with HTML and CSS so that its words keep the page's
 * font size on a phone (an SVG scaled to the screen shrinks them): for each row, the confirmed
 * participants as a pale bar and, over it, those who attended in person (dark) and online
 * (lighter). Screen readers get the figures as the image's label; the same figures stand in a
 * table beside it.
 */

interface ChartRow {
  label: string;
  confirmed: number;
  inPerson: number;
  online: number;
}

function describe(title: string, rows: ChartRow[]): string {
  const parts = rows.map((row) => `${row.label}: ${row.inPerson + row.online} of ${row.confirmed} attended (${row.inPerson} in person, ${row.online} online)`);
  return `${title}. ${parts.join("; ")}.`;
}

const share = (n: number, of: number) => `${of === 0 ? 0 : (n / of) * 100}%`;

export function AttendanceChart({ title, rows }: { title: string; rows: ChartRow[] }) {
  if (rows.length === 0) return null;
  const largest = Math.max(1, ...rows.map((row) => row.confirmed));
  return (
    <figure className="attendance-chart">
      <div role="img" aria-label={describe(title, rows)}>
        {rows.map((row) => (
          <div key={row.label} className="chart-row">
            <span className="chart-label">{row.label}</span>
            <span className="chart-track">
              <span className="chart-bar chart-confirmed" style={{ width: share(row.confirmed, largest) }}>
                <span className="chart-bar chart-in-person" style={{ width: share(row.inPerson, row.confirmed) }} />
                <span className="chart-bar chart-online" style={{ width: share(row.online, row.confirmed) }} />
              </span>
            </span>
            <span className="chart-value">
              {row.inPerson + row.online}/{row.confirmed}
            </span>
          </div>
        ))}
        <div className="chart-legend">
          <span>
            <span className="chart-key chart-in-person" /> In person
          </span>
          <span>
            <span className="chart-key chart-online" /> Online
          </span>
          <span>
            <span className="chart-key chart-confirmed" /> Confirmed
          </span>
        </div>
      </div>
    </figure>
  );
}
