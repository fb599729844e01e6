// Register or edit a resource's content. Editing sends the version the form was loaded at
// (expectedVersion): if someone saved in between, the API answers CONFLICT with the current
// version and nothing is written; the page says so and offers to load the latest.
import { useState, type FormEvent } from "react";
import { useMutation, useQuery } from "urql";
import { Field } from "../components/Field";
import { ProblemMessage } from "../components/ProblemMessage";
import { problemOf, type Problem } from "../errors";
import type { ResourceKind } from "../gql/graphql";
import { useI18n } from "../i18n";
import { navigate } from "../router";
import { NeedPicker, type NeedNode } from "../search/NeedPicker";
import { SearchOptionsQuery } from "../search/queries";
import { RegisterResourceMutation, UpdateResourceMutation } from "./queries";

const KINDS: ResourceKind[] = ["SERVICE", "BENEFIT", "GOODS", "FACILITY", "VOLUNTEER", "FUNDING"];

export interface ResourceValues {
  name: string;
  kind: ResourceKind;
  needs: string[];
  regions: string[];
  description: string;
  phone: string;
  total: string;
  available: string;
  schedule: string;
  address: string;
  internalNotes: string;
  minAge: string;
  maxAge: string;
}

export const EMPTY_RESOURCE: ResourceValues = {
  name: "",
  kind: "SERVICE",
  needs: [],
  regions: [],
  description: "",
  phone: "",
  total: "",
  available: "",
  schedule: "",
  address: "",
  internalNotes: "",
  minAge: "",
  maxAge: "",
};

const num = (v: string) => (v.trim() === "" ? null : Number(v));
const text = (v: string) => (v.trim() === "" ? null : v.trim());

function toInput(v: ResourceValues) {
  return {
    name: v.name.trim(),
    kind: v.kind,
    needs: v.needs,
    regions: v.regions,
    description: text(v.description),
    schedule: text(v.schedule),
    internalNotes: text(v.internalNotes),
    contact: { phone: text(v.phone) },
    capacity: v.total || v.available ? { total: num(v.total), available: num(v.available) } : null,
    address: v.address ? { text: text(v.address) } : null,
    eligibility: v.minAge || v.maxAge ? { minAge: num(v.minAge), maxAge: num(v.maxAge) } : null,
  };
}

interface Props {
  initial: ResourceValues;
  /** Absent when registering. */
  editing?: { id: string; version: number; onReload: () => void; onSaved: (version: number) => void };
}

export function ResourceForm({ initial, editing }: Props) {
  const { t, label } = useI18n();
  const [values, setValues] = useState<ResourceValues>(initial);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [options] = useQuery({ query: SearchOptionsQuery });
  const [registering, register] = useMutation(RegisterResourceMutation);
  const [updating, update] = useMutation(UpdateResourceMutation);
  const set = <K extends keyof ResourceValues>(key: K, value: ResourceValues[K]) => setValues((v) => ({ ...v, [key]: value }));
  const errorFor = (...fields: string[]) =>
    problem?.field && fields.some((f) => problem.field === f || problem.field?.startsWith(`${f}.`)) ? problem.detail ?? t(problem.key) : null;

  const regionTree: NeedNode[] = (options.data?.regions ?? []).flatMap((sido) =>
    sido.children.map((sigungu) => ({
      code: sigungu.code,
      labelKo: sigungu.name,
      labelEn: sigungu.nameEn ?? sigungu.name,
      children: sigungu.children.map((emd) => ({ code: emd.code, labelKo: emd.name, labelEn: emd.nameEn ?? emd.name })),
    })),
  );

  async function submit(event: FormEvent) {
    event.preventDefault();
    setProblem(null);
    if (!editing) {
      const result = await register({ input: toInput(values) });
      if (result.data) navigate(`/workspace/${result.data.registerResource.id}?registered=1`);
      else setProblem(problemOf(result.error));
      return;
    }
    const result = await update({ id: editing.id, expectedVersion: editing.version, input: toInput(values) });
    if (result.data) editing.onSaved(result.data.updateResource.version);
    else {
      const found = problemOf(result.error);
      if (found?.code === "CONFLICT" && typeof found.extensions.currentVersion === "number")
        setProblem({ ...found, key: "workspace.conflict", vars: { current: found.extensions.currentVersion, mine: editing.version }, detail: undefined });
      else setProblem(found);
    }
  }

  const conflict = problem?.key === "workspace.conflict";
  return (
    <form onSubmit={submit} noValidate className="resource-form">
      {problem && !problem.field && <ProblemMessage problem={problem} />}
      {conflict && editing && (
        <button type="button" className="btn btn-secondary" onClick={editing.onReload}>
          {t("workspace.reload")}
        </button>
      )}
      <Field label={`${t("form.name")} ${t("common.required")}`} error={errorFor("name")}>
        <input name="name" value={values.name} maxLength={200} onChange={(e) => set("name", e.target.value)} required />
      </Field>
      <Field label={t("form.kind")}>
        <select name="kind" value={values.kind} onChange={(e) => set("kind", e.target.value as ResourceKind)}>
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {label("ResourceKind", k)}
            </option>
          ))}
        </select>
      </Field>
      {options.data && (
        <>
          <NeedPicker legend={`${t("form.needs")} ${t("common.required")}`} tree={options.data.needs} selected={values.needs} onChange={(c) => set("needs", c)} error={errorFor("needs")} />
          <NeedPicker legend={`${t("form.regions")} ${t("common.required")}`} tree={regionTree} selected={values.regions} onChange={(c) => set("regions", c)} error={errorFor("regions")} />
        </>
      )}
      <Field label={t("form.description")} error={errorFor("description")}>
        <textarea name="description" rows={4} value={values.description} onChange={(e) => set("description", e.target.value)} />
      </Field>
      <div className="row">
        <Field label={t("form.minAge")} error={errorFor("eligibility")}>
          <input type="number" name="minAge" min={0} max={150} value={values.minAge} onChange={(e) => set("minAge", e.target.value)} />
        </Field>
        <Field label={t("form.maxAge")}>
          <input type="number" name="maxAge" min={0} max={150} value={values.maxAge} onChange={(e) => set("maxAge", e.target.value)} />
        </Field>
      </div>
      <div className="row">
        <Field label={t("form.capacityTotal")} error={errorFor("capacity")}>
          <input type="number" name="total" min={0} value={values.total} onChange={(e) => set("total", e.target.value)} />
        </Field>
        <Field label={t("form.capacityAvailable")}>
          <input type="number" name="available" min={0} value={values.available} onChange={(e) => set("available", e.target.value)} />
        </Field>
      </div>
      <Field label={t("form.phone")} error={errorFor("contact")}>
        <input type="tel" name="phone" value={values.phone} onChange={(e) => set("phone", e.target.value)} />
      </Field>
      <Field label={t("form.schedule")}>
        <input name="schedule" value={values.schedule} onChange={(e) => set("schedule", e.target.value)} />
      </Field>
      <Field label={t("form.addressText")} error={errorFor("address")}>
        <input name="address" value={values.address} onChange={(e) => set("address", e.target.value)} />
      </Field>
      <Field label={t("form.internalNotes")}>
        <textarea name="internalNotes" rows={2} value={values.internalNotes} onChange={(e) => set("internalNotes", e.target.value)} />
      </Field>
      <button type="submit" className="btn btn-primary" disabled={registering.fetching || updating.fetching}>
        {editing ? t("common.save") : t("workspace.new")}
      </button>
    </form>
  );
}
