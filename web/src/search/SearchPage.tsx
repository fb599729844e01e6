// 욕구 기반 자원 검색: the caseworker's daily page. The form builds one ResourceSearchInput;
// the API ranks, explains (reasons, eligibility, missing facts) and withholds; the page only
// shows what came back, in the reader's language.
import { useMemo, useState, type FormEvent } from "react";
import { useQuery } from "urql";
import { useSession } from "../auth/session";
import { Field } from "../components/Field";
import { Pager } from "../components/Pager";
import { ProblemMessage } from "../components/ProblemMessage";
import { Shown } from "../components/Withheld";
import { problemOf } from "../errors";
import type { ResourceSearchInput, SearchResourcesQuery as SearchResult, SearchResourcesQueryVariables } from "../gql/graphql";
import { useI18n } from "../i18n";
import type { MessageKey } from "../i18n/messages";
import { Link } from "../router";
import { NeedPicker } from "./NeedPicker";
import { SearchOptionsQuery, SearchResourcesQuery } from "./queries";

type Hit = SearchResult["searchResources"]["hits"][number];

interface Criteria {
  needs: string[];
  text: string;
  where: string; // "" everywhere, "near" my office, or a region code
  radius: string;
  age: string;
  income: string;
  household: string;
  disability: string; // "", "yes", "no"
  hasCapacity: boolean;
}

interface Narrowing {
  kinds: string[];
  sectors: string[];
  regions: string[];
}

const EMPTY: Criteria = {
  needs: [],
  text: "",
  where: "",
  radius: "10",
  age: "",
  income: "",
  household: "",
  disability: "",
  hasCapacity: false,
};
const NO_NARROWING: Narrowing = { kinds: [], sectors: [], regions: [] };
const HOUSEHOLDS = ["SINGLE_ELDERLY", "SINGLE_PARENT", "GRANDPARENT_HEADED", "MULTICULTURAL", "DISABLED_MEMBER", "CHILD_HEADED", "GENERAL"];

// The last search, kept while the app is open so "back" from a resource finds it again.
let remembered: { criteria: Criteria; narrowing: Narrowing; cursors: (string | null)[] } = {
  criteria: EMPTY,
  narrowing: NO_NARROWING,
  cursors: [null],
};

function toInput(
  c: Criteria,
  n: Narrowing,
  office: { lat?: number | null; lon?: number | null } | null | undefined,
  after: string | null,
): SearchResourcesQueryVariables {
  const person: NonNullable<ResourceSearchInput["person"]> = {};
  if (c.age !== "") person.age = Number(c.age);
  if (c.income !== "") person.incomePercent = Number(c.income);
  if (c.household) person.householdType = c.household as NonNullable<typeof person.householdType>;
  if (c.disability) person.disability = c.disability === "yes";
  const regions = [...(c.where && c.where !== "near" ? [c.where] : []), ...n.regions];
  return {
    needs: c.needs.length ? c.needs : null,
    text: c.text.trim() || null,
    regions: regions.length ? regions : null,
    near:
      c.where === "near" && office?.lat != null && office?.lon != null
        ? { lat: office.lat, lon: office.lon, radiusKm: Number(c.radius) || 10 }
        : null,
    person: Object.keys(person).length ? person : null,
    hasCapacity: c.hasCapacity ? true : null,
    kinds: n.kinds.length ? (n.kinds as ResourceSearchInput["kinds"]) : null,
    sectors: n.sectors.length ? (n.sectors as ResourceSearchInput["sectors"]) : null,
    after,
  };
}

export function SearchPage() {
  const { t, label, lang } = useI18n();
  const { viewer } = useSession();
  const [draft, setDraft] = useState<Criteria>(remembered.criteria);
  const [criteria, setCriteria] = useState<Criteria>(remembered.criteria);
  const [narrowing, setNarrowing] = useState<Narrowing>(remembered.narrowing);
  const [cursors, setCursors] = useState<(string | null)[]>(remembered.cursors);
  remembered = { criteria, narrowing, cursors };

  const [options] = useQuery({ query: SearchOptionsQuery });
  const office = viewer?.institution;
  const variables = useMemo(
    () => toInput(criteria, narrowing, office, cursors[cursors.length - 1]),
    [criteria, narrowing, office, cursors],
  );
  const [result] = useQuery({ query: SearchResourcesQuery, variables });
  const problem = problemOf(result.error);
  const search = result.data?.searchResources;

  const set = <K extends keyof Criteria>(key: K, value: Criteria[K]) => setDraft((d) => ({ ...d, [key]: value }));
  function submit(event: FormEvent) {
    event.preventDefault();
    setCriteria(draft);
    setNarrowing(NO_NARROWING);
    setCursors([null]);
  }
  function reset() {
    setDraft(EMPTY);
    setCriteria(EMPTY);
    setNarrowing(NO_NARROWING);
    setCursors([null]);
  }
  function narrow(key: keyof Narrowing, value: string) {
    setNarrowing((n) => ({ ...n, [key]: n[key].includes(value) ? n[key].filter((v) => v !== value) : [...n[key], value] }));
    setCursors([null]);
  }
  function addNeed(code: string) {
    const next = { ...criteria, needs: criteria.needs.includes(code) ? criteria.needs.filter((c) => c !== code) : [...criteria.needs, code] };
    setDraft(next);
    setCriteria(next);
    setCursors([null]);
  }

  const regionName = (r: { name: string; nameEn?: string | null }) => (lang === "en" && r.nameEn ? r.nameEn : r.name);
  const regionOptions = (options.data?.regions ?? []).flatMap((sido) => (sido.children.length ? sido.children : [sido]));

  return (
    <div className="page search-page">
      <h1>{t("search.title")}</h1>
      <p className="lead">{t("search.intro")}</p>
      <div className="search-layout">
        <form className="search-form" onSubmit={submit} role="search" aria-label={t("search.title")}>
          <Field label={t("search.text")} hint={t("search.textHint")}>
            <input type="search" name="text" value={draft.text} maxLength={200} onChange={(e) => set("text", e.target.value)} />
          </Field>
          {options.data && (
            <NeedPicker
              legend={t("search.needs")}
              hint={t("search.needsHint")}
              tree={options.data.needs}
              selected={draft.needs}
              onChange={(codes) => set("needs", codes)}
            />
          )}
          <fieldset>
            <legend>{t("search.where")}</legend>
            <Field label={t("search.where")}>
              <select name="where" value={draft.where} onChange={(e) => set("where", e.target.value)}>
                <option value="">{t("search.anywhere")}</option>
                {office?.lat != null && <option value="near">{t("search.nearOffice")}</option>}
                {regionOptions.map((sigungu) => (
                  <optgroup key={sigungu.code} label={regionName(sigungu)}>
                    <option value={sigungu.code}>{regionName(sigungu)}</option>
                    {"children" in sigungu &&
                      (sigungu.children as { code: string; name: string; nameEn?: string | null }[]).map((emd) => (
                        <option key={emd.code} value={emd.code}>
                          {regionName(emd)}
                        </option>
                      ))}
                  </optgroup>
                ))}
              </select>
            </Field>
            {draft.where === "near" && (
              <Field label={t("search.radius")}>
                <input type="number" name="radius" min={1} max={500} inputMode="decimal" value={draft.radius} onChange={(e) => set("radius", e.target.value)} />
              </Field>
            )}
          </fieldset>
          <fieldset>
            <legend>{t("search.person")}</legend>
            <div className="row">
              <Field label={t("search.age")}>
                <input type="number" name="age" min={0} max={150} inputMode="numeric" value={draft.age} onChange={(e) => set("age", e.target.value)} />
              </Field>
              <Field label={t("search.income")}>
                <input type="number" name="income" min={0} max={1000} inputMode="numeric" value={draft.income} onChange={(e) => set("income", e.target.value)} />
              </Field>
            </div>
            <Field label={t("search.household")}>
              <select name="household" value={draft.household} onChange={(e) => set("household", e.target.value)}>
                <option value="">{t("common.unknown")}</option>
                {HOUSEHOLDS.map((h) => (
                  <option key={h} value={h}>
                    {label("HouseholdType", h)}
                  </option>
                ))}
              </select>
            </Field>
            <Field label={t("search.disability")}>
              <select name="disability" value={draft.disability} onChange={(e) => set("disability", e.target.value)}>
                <option value="">{t("common.unknown")}</option>
                <option value="yes">{t("common.yes")}</option>
                <option value="no">{t("common.no")}</option>
              </select>
            </Field>
          </fieldset>
          <label className="check">
            <input type="checkbox" name="hasCapacity" checked={draft.hasCapacity} onChange={(e) => set("hasCapacity", e.target.checked)} />
            {t("search.hasCapacity")}
          </label>
          <div className="actions">
            <button type="submit" className="btn btn-primary">
              {t("search.submit")}
            </button>
            <button type="button" className="btn btn-tertiary" onClick={reset}>
              {t("search.reset")}
            </button>
          </div>
        </form>

        <section className="results" aria-labelledby="results-heading" aria-busy={result.fetching}>
          <h2 id="results-heading" aria-live="polite">
            {search ? t("search.results", { n: search.totalCount }) : t("common.loading")}
          </h2>
          <ProblemMessage problem={problem} />
          {search && (
            <Facets facets={search.facets} narrowing={narrowing} needs={criteria.needs} onNarrow={narrow} onNeed={addNeed} />
          )}
          {search && search.hits.length === 0 && <p>{t("search.noResults")}</p>}
          <ol className="hits">
            {search?.hits.map((hit) => <HitCard key={hit.resource.id} hit={hit} requested={criteria.needs.length} />)}
          </ol>
          {search && (
            <Pager cursors={cursors} hasNext={search.pageInfo.hasNextPage} endCursor={search.pageInfo.endCursor} onChange={setCursors} />
          )}
        </section>
      </div>
    </div>
  );
}

function Facets({
  facets,
  narrowing,
  needs,
  onNarrow,
  onNeed,
}: {
  facets: SearchResult["searchResources"]["facets"];
  narrowing: Narrowing;
  needs: string[];
  onNarrow: (key: keyof Narrowing, value: string) => void;
  onNeed: (code: string) => void;
}) {
  const { t, label } = useI18n();
  const group = (title: MessageKey, items: { key: string; name: string; count: number; on: boolean; toggle: () => void }[]) =>
    items.length > 0 && (
      <div className="facet-group" role="group" aria-label={t(title)}>
        <h3>{t(title)}</h3>
        <ul>
          {items.slice(0, 8).map((item) => (
            <li key={item.key}>
              <button type="button" className={`chip${item.on ? " on" : ""}`} aria-pressed={item.on} onClick={item.toggle}>
                {item.name} <span className="count">{item.count}</span>
              </button>
            </li>
          ))}
        </ul>
      </div>
    );
  return (
    <details className="facets" open>
      <summary>{t("search.facets")}</summary>
      {group(
        "search.facetNeeds",
        facets.needs.map((f) => ({ key: f.code, name: f.label, count: f.count, on: needs.includes(f.code), toggle: () => onNeed(f.code) })),
      )}
      {group(
        "search.facetKinds",
        facets.kinds.map((f) => ({ key: f.value, name: label("ResourceKind", f.value), count: f.count, on: narrowing.kinds.includes(f.value), toggle: () => onNarrow("kinds", f.value) })),
      )}
      {group(
        "search.facetSectors",
        facets.sectors.map((f) => ({ key: f.value, name: label("Sector", f.value), count: f.count, on: narrowing.sectors.includes(f.value), toggle: () => onNarrow("sectors", f.value) })),
      )}
      {group(
        "search.facetRegions",
        facets.regions.map((f) => ({ key: f.code, name: f.name, count: f.count, on: narrowing.regions.includes(f.code), toggle: () => onNarrow("regions", f.code) })),
      )}
    </details>
  );
}

function HitCard({ hit, requested }: { hit: Hit; requested: number }) {
  const { t, label, lang } = useI18n();
  const r = hit.resource;
  const needName = (n: { labelKo: string; labelEn: string }) => (lang === "ko" ? n.labelKo : n.labelEn);
  const reasonText = (code: string): string => {
    switch (code) {
      case "NEEDS":
        return t("reason.NEEDS", { n: requested, m: hit.matchedNeeds.length, labels: hit.matchedNeeds.map(needName).join(", ") });
      case "ELIGIBILITY_UNKNOWN":
        return t("reason.ELIGIBILITY_UNKNOWN", { facts: hit.missingFacts.map((f) => t(`fact.${f}` as MessageKey)).join(", ") });
      case "DISTANCE":
        return t("reason.DISTANCE", { km: (hit.distanceKm ?? 0).toFixed(1) });
      case "TEXT":
        return t("reason.TEXT", { fields: hit.highlights.map((h) => t(`textField.${h.field}` as MessageKey)).join(", ") || t("textField.name") });
      case "CAPACITY":
        return t("reason.CAPACITY", { n: r.capacity?.available ?? 0 });
      default:
        return t(`reason.${code}` as MessageKey);
    }
  };
  return (
    <li className="hit card">
      <div className="hit-head">
        <h3>
          <Link href={`/resources/${r.id}`}>{r.name}</Link>
        </h3>
        <span className={`tag fit-${hit.eligibility}`}>
          {t("search.eligibility")}: {label("EligibilityFit", hit.eligibility)}
        </span>
      </div>
      <dl className="facts">
        <div>
          <dt>{t("search.provider")}</dt>
          <dd>{r.provider?.name ?? "—"}</dd>
        </div>
        <div>
          <dt>{t("resource.kind")}</dt>
          <dd>{label("ResourceKind", r.kind)}</dd>
        </div>
        {hit.distanceKm != null && (
          <div>
            <dt>{t("search.distanceLabel")}</dt>
            <dd>{t("search.distance", { km: hit.distanceKm.toFixed(1) })}</dd>
          </div>
        )}
        <div>
          <dt>{t("search.contact")}</dt>
          <dd>
            <Shown name="contact" withheld={r.withheldFields}>
              {r.contact?.phone ?? "—"}
            </Shown>
          </dd>
        </div>
        <div>
          <dt>{t("search.capacity")}</dt>
          <dd>
            <Shown name="capacity" withheld={r.withheldFields}>
              {r.capacity && (r.capacity.available != null || r.capacity.total != null) ? t("search.capacityValue", { available: r.capacity.available ?? "—", total: r.capacity.total ?? "—" }) : "—"}
            </Shown>
          </dd>
        </div>
      </dl>
      {hit.reasons.length > 0 && (
        <div className="reasons">
          <h4>{t("search.reasons")}</h4>
          <ul>
            {hit.reasons.map((reason) => (
              <li key={reason.code} data-code={reason.code}>
                {reasonText(reason.code)}
              </li>
            ))}
          </ul>
        </div>
      )}
      {hit.missingFacts.length > 0 && (
        <p className="missing">
          <strong>{t("search.missing")}:</strong> {hit.missingFacts.map((f) => t(`fact.${f}` as MessageKey)).join(", ")}
        </p>
      )}
      {hit.highlights.map((h) => (
        <p key={h.field} className="highlight">
          {/* Fragments mark matches with <em>; rendered as text with the marks kept as <mark>. */}
          {h.fragments[0]?.split(/<\/?em>/).map((part, i) => (i % 2 === 1 ? <mark key={i}>{part}</mark> : part))}
        </p>
      ))}
    </li>
  );
}
