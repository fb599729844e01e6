// One resource in the registrant's workspace: its content (ResourceForm), its status, and
// its visibility — listing, per-field audience, partner institutions — with a preview of
// what each kind of viewer sees, computed by the API from the saved settings.
import { useState, type FormEvent } from "react";
import { useMutation, useQuery } from "urql";
import { useSession } from "../auth/session";
import { Field } from "../components/Field";
import { Notice, ProblemMessage } from "../components/ProblemMessage";
import { problemOf, type Problem } from "../errors";
import type { Audience, EditableResourceQuery as Editable, ResourceField, ResourceStatus } from "../gql/graphql";
import { useI18n } from "../i18n";
import { Link, useRoute } from "../router";
import {
  EditableResourceQuery,
  PartnerChoicesQuery,
  SetResourceStatusMutation,
  SetResourceVisibilityMutation,
  VisibilityPreviewQuery,
} from "./queries";
import { EMPTY_RESOURCE, ResourceForm, type ResourceValues } from "./ResourceForm";

type Resource = NonNullable<Editable["resource"]>;
const AUDIENCES: Audience[] = ["PUBLIC", "AUTHENTICATED", "REGION", "PARTNERS", "OWNER"];
const FIELDS: ResourceField[] = ["DESCRIPTION", "CONTACT", "ADDRESS", "CAPACITY", "SCHEDULE", "ELIGIBILITY", "INTERNAL_NOTES"];
const STATUSES: ResourceStatus[] = ["ACTIVE", "SUSPENDED", "CLOSED"];

function valuesOf(r: Resource): ResourceValues {
  const s = (v: number | string | null | undefined) => (v == null ? "" : String(v));
  return {
    ...EMPTY_RESOURCE,
    name: r.name,
    kind: r.kind,
    needs: r.needs.map((n) => n.code),
    regions: r.servedRegions.map((g) => g.code),
    description: s(r.description),
    phone: s(r.contact?.phone),
    total: s(r.capacity?.total),
    available: s(r.capacity?.available),
    schedule: s(r.schedule),
    address: s(r.address?.text),
    internalNotes: s(r.internalNotes),
    minAge: s(r.eligibility?.minAge),
    maxAge: s(r.eligibility?.maxAge),
  };
}

export function NewResource() {
  const { t } = useI18n();
  const { viewer, has } = useSession();
  return (
    <div className="page narrow">
      <p>
        <Link href="/workspace">← {t("workspace.title")}</Link>
      </p>
      <h1>{t("workspace.new")}</h1>
      {viewer && !viewer.anonymous && has("REGISTRANT", "ADMIN") ? <ResourceForm initial={EMPTY_RESOURCE} /> : <p>{t("workspace.notAllowed")}</p>}
    </div>
  );
}

export function ResourceEditor({ id }: { id: string }) {
  const { t } = useI18n();
  const { search } = useRoute();
  const [result, reload] = useQuery({ query: EditableResourceQuery, variables: { id }, requestPolicy: "cache-and-network" });
  const [saved, setSaved] = useState<number | null>(null);
  const r = result.data?.resource;
  const reloadLatest = () => reload({ requestPolicy: "network-only" });
  if (!r)
    return (
      <div className="page">
        <ProblemMessage problem={problemOf(result.error)} />
        <p>{result.fetching ? t("common.loading") : t("resource.notFound")}</p>
      </div>
    );
  return (
    <div className="page editor-page">
      <p>
        <Link href="/workspace">← {t("workspace.title")}</Link> · <Link href={`/resources/${r.id}`}>{t("resource.title")}</Link>
      </p>
      <h1>{r.name}</h1>
      <p className="meta">{t("common.version", { v: r.version })}</p>
      {search.get("registered") && <Notice tone="success">{t("workspace.registered")}</Notice>}
      <div className="editor-layout">
        <section aria-labelledby="content-title" className="card">
          <h2 id="content-title">{t("workspace.edit")}</h2>
          {saved != null && saved === r.version && <Notice tone="success">{t("workspace.saved", { v: saved })}</Notice>}
          {/* Keyed by version: the form starts again from each saved state (after a save, or
              after loading the latest version when a save met a conflict). */}
          <ResourceForm
            key={`${r.id}-${r.version}`}
            initial={valuesOf(r)}
            editing={{ id: r.id, version: r.version, onReload: reloadLatest, onSaved: setSaved }}
          />
        </section>
        <div>
          <StatusEditor resource={r} />
          {r.visibility && <VisibilityEditor key={`${r.id}-${r.version}`} resource={r} />}
          {/* Keyed by version: a saved change remounts it and asks the API afresh. */}
          <VisibilityPreview key={`${r.id}-${r.version}`} id={r.id} />
        </div>
      </div>
    </div>
  );
}

function StatusEditor({ resource: r }: { resource: Resource }) {
  const { t, label } = useI18n();
  const [status, setStatus] = useState<ResourceStatus>(r.status);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [, save] = useMutation(SetResourceStatusMutation);
  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = await save({ id: r.id, status, expectedVersion: r.version });
    setProblem(result.error ? problemOf(result.error) : null);
  }
  return (
    <section aria-labelledby="status-title" className="card">
      <h2 id="status-title">{t("status.title")}</h2>
      <form onSubmit={submit} className="inline-form">
        <ProblemMessage problem={problem} />
        <Field label={t("status.title")}>
          <select name="status" value={status} onChange={(e) => setStatus(e.target.value as ResourceStatus)}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {label("ResourceStatus", s)}
              </option>
            ))}
          </select>
        </Field>
        <button type="submit" className="btn btn-secondary">
          {t("status.submit")}
        </button>
      </form>
    </section>
  );
}

function VisibilityEditor({ resource: r }: { resource: Resource }) {
  const { t, label } = useI18n();
  const settings = r.visibility!;
  const [listing, setListing] = useState<Audience>(settings.listing);
  const [fields, setFields] = useState<Record<string, Audience>>(
    Object.fromEntries(settings.fields.map((f) => [f.field, f.audience])),
  );
  const [partners, setPartners] = useState<string[]>(settings.partners);
  const [filter, setFilter] = useState("");
  const [problem, setProblem] = useState<Problem | null>(null);
  const [choices] = useQuery({ query: PartnerChoicesQuery });
  const [saving, save] = useMutation(SetResourceVisibilityMutation);
  const institutions = (choices.data?.institutions.edges.map((e) => e.node) ?? []).filter(
    (i) => i.id !== r.provider?.id && (partners.includes(i.id) || !filter || i.name.includes(filter)),
  );

  async function submit(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    const result = await save({
      id: r.id,
      expectedVersion: r.version,
      listing,
      fields: FIELDS.map((field) => ({ field, audience: fields[field] ?? "PUBLIC" })),
      partners,
    });
    if (result.error) setProblem(problemOf(result.error));
  }

  return (
    <section aria-labelledby="vis-title" className="card">
      <h2 id="vis-title">{t("vis.title")}</h2>
      <p className="hint">{t("vis.intro")}</p>
      <form onSubmit={submit}>
        <ProblemMessage problem={problem} />
        <Field label={t("vis.listing")}>
          <select name="listing" value={listing} onChange={(e) => setListing(e.target.value as Audience)}>
            {AUDIENCES.map((a) => (
              <option key={a} value={a}>
                {label("Audience", a)}
              </option>
            ))}
          </select>
        </Field>
        <fieldset>
          <legend>{t("vis.fields")}</legend>
          <div className="field-grid">
            {FIELDS.map((field) => (
              <Field key={field} label={label("ResourceField", field)}>
                <select name={`audience-${field}`} value={fields[field] ?? "PUBLIC"} onChange={(e) => setFields((f) => ({ ...f, [field]: e.target.value as Audience }))}>
                  {AUDIENCES.map((a) => (
                    <option key={a} value={a}>
                      {label("Audience", a)}
                    </option>
                  ))}
                </select>
              </Field>
            ))}
          </div>
        </fieldset>
        <fieldset>
          <legend>{t("vis.partners")}</legend>
          <p className="hint">{t("vis.partnersHint")}</p>
          <Field label={t("vis.partnerFilter")}>
            <input type="search" value={filter} onChange={(e) => setFilter(e.target.value)} />
          </Field>
          <ul className="checks scroll">
            {institutions.map((i) => (
              <li key={i.id}>
                <label>
                  <input
                    type="checkbox"
                    checked={partners.includes(i.id)}
                    onChange={() => setPartners((p) => (p.includes(i.id) ? p.filter((x) => x !== i.id) : [...p, i.id]))}
                  />
                  {i.name}
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
        <button type="submit" className="btn btn-primary" disabled={saving.fetching}>
          {t("vis.submit")}
        </button>
      </form>
    </section>
  );
}

function VisibilityPreview({ id }: { id: string }) {
  const { t, label } = useI18n();
  const [viewer, setViewer] = useState<Audience>("PUBLIC");
  const [result] = useQuery({ query: VisibilityPreviewQuery, variables: { id, viewer }, requestPolicy: "network-only" });
  const preview = result.data?.resourceVisibilityPreview;
  return (
    <section aria-labelledby="preview-title" className="card">
      <h2 id="preview-title">{t("vis.preview")}</h2>
      <p className="hint">{t("vis.previewIntro")}</p>
      <Field label={t("vis.previewAs")}>
        <select name="previewAs" value={viewer} onChange={(e) => setViewer(e.target.value as Audience)}>
          {AUDIENCES.map((a) => (
            <option key={a} value={a}>
              {label("Audience", a)}
            </option>
          ))}
        </select>
      </Field>
      <ProblemMessage problem={problemOf(result.error)} />
      {preview && (
        <div aria-live="polite" data-testid="preview">
          <p>
            <strong>{preview.listed ? t("vis.previewListed") : t("vis.previewHidden")}</strong>
          </p>
          {preview.listed && (
            <dl className="facts">
              <div>
                <dt>{t("vis.previewShown")}</dt>
                <dd>{preview.shownFields.map((f) => label("ResourceField", f)).join(", ") || t("common.none")}</dd>
              </div>
              <div>
                <dt>{t("vis.previewWithheld")}</dt>
                <dd>{preview.withheldFields.map((f) => label("ResourceField", f)).join(", ") || t("common.none")}</dd>
              </div>
            </dl>
          )}
        </div>
      )}
    </section>
  );
}
