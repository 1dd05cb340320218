import { Link } from "@remix-run/react";

/**
 * "Page 2 of 7" between links to the previous and next pages, for a list shown a page at a time;
 * nothing when it fits on one page. The caller gives each link's address (null where there is none).
 */
export function Pagination({
  page,
  pageCount,
  previous,
  next,
  label = "Pages",
  previousText = "← Previous page",
  nextText = "Next page →",
}: {
  page: number;
  pageCount: number;
  previous: string | null;
  next: string | null;
  label?: string;
  previousText?: string;
  nextText?: string;
}) {
  if (pageCount <= 1) return null;
  return (
    <nav className="pagination" aria-label={label}>
      {previous ? <Link to={previous}>{previousText}</Link> : <span />}
      <span>{`Page ${page} of ${pageCount}`}</span>
      {next ? <Link to={next}>{nextText}</Link> : <span />}
    </nav>
  );
}
