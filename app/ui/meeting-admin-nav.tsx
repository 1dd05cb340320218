import { Link, NavLink } from "@remix-run/react";

/**
 * The organisers' pages about one meeting, every one under /admin/meetings/:slug: the meeting, its
 * agenda and documents, then its registration, then attendance. A new page of the console adds its link here, and nowhere else.
 */
const PAGES = [
  { path: "", label: "Meeting" },
  { path: "/agenda", label: "Agenda" },
  { path: "/documents", label: "Documents" },
  { path: "/circulations", label: "Circulate documents" },
  { path: "/registrations", label: "Registrations" },
  { path: "/participants", label: "List of participants" },
  { path: "/mailings", label: "Email registrants" },
  { path: "/questions", label: "Questions" },
  { path: "/invitations", label: "Invitations" },
  { path: "/follow-ups", label: "Travel and visas" },
  { path: "/checkin", label: "Check-in desk" },
  { path: "/attendance/online", label: "Online attendance" },
  { path: "/attendance", label: "Attendance" },
  { path: "/team", label: "Team" },
  { path: "/personal-data", label: "Personal data" },
  { path: "/audit", label: "Audit log" },
] as const;

/** Check-in staff use the desk alone. */
const DESK_ONLY = PAGES.filter((page) => page.path === "/checkin");

/**
 * The way back to the organisers' list and the meeting's console pages, the current one marked;
 * hidden when printing. Only the pages the person may use: `access` is what the gate answered.
 */
export function MeetingAdminNav({ meeting, access = "manage" }: { meeting: { slug: string; title: string }; access?: "manage" | "check_in" }) {
  const base = `/admin/meetings/${meeting.slug}`;
  return (
    <nav aria-label="Meeting console" className="console-nav no-print">
      <p className="muted">
        <Link to="/admin">Organisers</Link> › {access === "manage" ? <Link to={base}>{meeting.title}</Link> : meeting.title}
      </p>
      <ul>
        {(access === "manage" ? PAGES : DESK_ONLY).map((page) => (
          <li key={page.path}>
            {/* `end`: a page is current only at its own address (a registration's page marks none). */}
            <NavLink to={`${base}${page.path}`} end>
              {page.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
