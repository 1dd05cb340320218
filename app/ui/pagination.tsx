import { Link } from "@remix-run/react";

/**
 * "Page 2 of 7" between links to the previous and next pages, for a list shown a page at a time;
 * nothing when it fits on one page. `hrefOf` gives a page's address.
 */
export function Pagination({
  page,
  pageCount,
  hrefOf,
  label = "Pages",
  previousText = "← Previous page",
  nextText = "Next page →",
}: {
  page: number;
  pageCount: number;
  hrefOf: (page: number) => string;
  label?: string;
  previousText?: string;
  nextText?: string;
}) {
  if (pageCount <= 1) return null;
  return (
    <nav className="pagination" aria-label={label}>
      {page > 1 ? <Link to={hrefOf(page - 1)}>{previousText}</Link> : <span />}
      <span>{`Page ${page} of ${pageCount}`}</span>
      {page < pageCount ? <Link to={hrefOf(page + 1)}>{nextText}</Link> : <span />}
    </nav>
  );
}
