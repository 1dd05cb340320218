/**
 * A horizontal bar chart of attendance, drawn in SVG: for each row, the confirmed participants as a
 * pale bar and, over it, those who attended in person (dark) and online (lighter). Screen readers
 * get the figures as the image's label; the same figures stand in a table beside it.
 */

export interface ChartRow {
  label: string;
  confirmed: number;
  inPerson: number;
  online: number;
}

// Small enough that, scaled to a phone's width, the labels stay readable.
const ROW = 24;
const LABEL_WIDTH = 160;
const BAR_WIDTH = 240;
const WIDTH = LABEL_WIDTH + BAR_WIDTH + 60;

function describe(title: string, rows: ChartRow[]): string {
  const parts = rows.map((row) => `${row.label}: ${row.inPerson + row.online} of ${row.confirmed} attended (${row.inPerson} in person, ${row.online} online)`);
  return `${title}. ${parts.join("; ")}.`;
}

function shortLabel(label: string): string {
  return label.length > 22 ? `${label.slice(0, 21)}…` : label;
}

export function AttendanceChart({ title, rows }: { title: string; rows: ChartRow[] }) {
  if (rows.length === 0) return null;
  const largest = Math.max(1, ...rows.map((row) => row.confirmed));
  const scale = (n: number) => (n / largest) * BAR_WIDTH;
  const height = rows.length * ROW + 28;
  return (
    <figure className="attendance-chart">
      <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label={describe(title, rows)} preserveAspectRatio="xMinYMin meet">
        {rows.map((row, index) => {
          const y = index * ROW;
          return (
            <g key={row.label} transform={`translate(0 ${y})`}>
              <text x={LABEL_WIDTH - 8} y={ROW / 2 + 4} textAnchor="end" className="chart-label">
                {shortLabel(row.label)}
              </text>
              <rect x={LABEL_WIDTH} y={4} width={scale(row.confirmed)} height={ROW - 8} className="chart-confirmed" />
              <rect x={LABEL_WIDTH} y={4} width={scale(row.inPerson)} height={ROW - 8} className="chart-in-person" />
              <rect x={LABEL_WIDTH + scale(row.inPerson)} y={4} width={scale(row.online)} height={ROW - 8} className="chart-online" />
              <text x={LABEL_WIDTH + scale(row.confirmed) + 6} y={ROW / 2 + 4} className="chart-value">
                {row.inPerson + row.online}/{row.confirmed}
              </text>
            </g>
          );
        })}
        <g transform={`translate(${LABEL_WIDTH - 60} ${rows.length * ROW + 8})`} className="chart-legend">
          <rect width={12} height={12} className="chart-in-person" />
          <text x={16} y={10}>
            In person
          </text>
          <rect x={80} width={12} height={12} className="chart-online" />
          <text x={96} y={10}>
            Online
          </text>
          <rect x={150} width={12} height={12} className="chart-confirmed" />
          <text x={166} y={10}>
            Confirmed
          </text>
        </g>
      </svg>
    </figure>
  );
}
