import { Form } from "@remix-run/react";
import type { RegistrationStatus } from "../../db/schema";
import { GENDERS, PARTICIPANT_CATEGORIES } from "../../db/schema";
import { labelOptions, SelectField, TextField } from "~/ui/fields";
import { ATTENDANCE_MODE_LABELS, CATEGORY_LABELS, GENDER_LABELS, REGISTRATION_STATUS_LABELS } from "./labels";
import { DECISIONS, DECISION_LABELS, type Decision } from "./decisions";
import { STATUS_FILTERS, STATUS_FILTER_LABELS } from "./registration-filters";

/** Pieces shared by the organisers' registration pages. */

export function StatusBadge({ status }: { status: RegistrationStatus }) {
  return <span className={`badge registration-${status}`}>{REGISTRATION_STATUS_LABELS[status]}</span>;
}

/** The usual next steps from each status, for the table's rows (a registration's own page offers every decision). */
const USUAL_DECISIONS: Record<RegistrationStatus, readonly Decision[]> = {
  pending: ["confirmed", "waitlisted", "declined"],
  waitlisted: ["confirmed", "declined"],
  confirmed: ["cancelled"],
  declined: ["confirmed"],
  cancelled: ["confirmed"],
};

/**
 * One-click decisions on one registration, submitted as `change=<id>:<status>`: the usual ones,
 * or with `all` every decision but its current status.
 */
export function DecisionButtons({ id, name, status, all = false }: { id: number; name: string; status: RegistrationStatus; all?: boolean }) {
  // A confirmed place is never moved to the waiting list (see changeRegistrationStatus()).
  const decisions = all ? DECISIONS.filter((to) => to !== status && !(status === "confirmed" && to === "waitlisted")) : USUAL_DECISIONS[status];
  return (
    <div className="row-actions">
      {decisions.map((to) => (
        <button
          key={to}
          type="submit"
          name="change"
          value={`${id}:${to}`}
          className={`button small ${to === "confirmed" ? "" : "secondary"}`}
          aria-label={`${DECISION_LABELS[to]} ${name}`}
        >
          {DECISION_LABELS[to]}
        </button>
      ))}
    </div>
  );
}

/** A standalone form with the decision buttons (the registration's own page). */
export function DecisionForm({ id, name, status }: { id: number; name: string; status: RegistrationStatus }) {
  return (
    <Form method="post" className="decision-form">
      <DecisionButtons id={id} name={name} status={status} all />
    </Form>
  );
}

/** The filter inputs (status, category, country, gender, attendance mode, search) with their labels. */
export function FilterFields({ values, countries }: { values: Record<string, string>; countries: { value: string; label: string }[] }) {
  return (
    <>
      <SelectField
        name="status"
        label="Status"
        defaultValue={values.status}
        placeholder="Any status"
        options={STATUS_FILTERS.map((value) => ({ value, label: STATUS_FILTER_LABELS[value] }))}
      />
      <SelectField
        name="category"
        label="Category"
        defaultValue={values.category}
        placeholder="Any category"
        options={PARTICIPANT_CATEGORIES.map((value) => ({ value, label: CATEGORY_LABELS[value] }))}
      />
      <SelectField name="country" label="Country" defaultValue={values.country} placeholder="Any country" options={countries} />
      <SelectField
        name="gender"
        label="Gender"
        defaultValue={values.gender}
        placeholder="Any gender"
        options={GENDERS.map((value) => ({ value, label: GENDER_LABELS[value] }))}
      />
      <SelectField
        name="attendanceMode"
        label="Attendance"
        defaultValue={values.attendanceMode}
        placeholder="In person or online"
        options={labelOptions(ATTENDANCE_MODE_LABELS)}
      />
      <TextField name="q" label="Search" type="search" defaultValue={values.q} hint="Name, email or organisation" />
    </>
  );
}
