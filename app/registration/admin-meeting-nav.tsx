import { Link, NavLink } from "@remix-run/react";

const PAGES = [
  { path: "registrations", label: "Registrations" },
  { path: "questions", label: "Questions" },
  { path: "invitations", label: "Invitations" },
  { path: "follow-ups", label: "Travel and visas" },
] as const;

/** The title block of an organisers' page about one meeting's registration, with links to its sibling pages. */
export function AdminMeetingHeader({ meeting, section }: { meeting: { slug: string; title: string; when: string }; section: string }) {
  const base = `/admin/meetings/${meeting.slug}`;
  return (
    <header>
      <nav aria-label="Breadcrumb" className="muted">
        <Link to="/admin">Organisers</Link> › <Link to={base}>{meeting.title}</Link> › {section}
      </nav>
      <h1>
        {section}: {meeting.title}
      </h1>
      <p>{meeting.when}</p>
      <nav aria-label="Registration pages" className="actions">
        {PAGES.map((page) => (
          <NavLink key={page.path} to={`${base}/${page.path}`} className={({ isActive }) => (isActive ? "button" : "button secondary")} end>
            {page.label}
          </NavLink>
        ))}
      </nav>
    </header>
  );
}
