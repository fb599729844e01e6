// One resource as the viewer may see it: every controlled field shows its value or
// "비공개" (withheld), never a blank; a caseworker can refer a recipient from here.
import { useQuery } from "urql";
import { useSession } from "../auth/session";
import { ProblemMessage } from "../components/ProblemMessage";
import { Shown } from "../components/Withheld";
import { problemOf } from "../errors";
import { useI18n } from "../i18n";
import { Link } from "../router";
import { ReferForm } from "../referrals/ReferForm";
import { ResourceDetailQuery } from "./queries";

export function ResourceDetail({ id }: { id: string }) {
  const { t, label, lang } = useI18n();
  const { viewer, has } = useSession();
  const [result] = useQuery({ query: ResourceDetailQuery, variables: { id } });
  const r = result.data?.resource;
  if (result.fetching && !result.data) return <p className="page">{t("common.loading")}</p>;
  if (!r)
    return (
      <div className="page">
        <h1>{t("resource.title")}</h1>
        <ProblemMessage problem={problemOf(result.error)} />
        {!result.error && <p>{t("resource.notFound")}</p>}
        <Link href="/search">{t("common.back")}</Link>
      </div>
    );
  const w = r.withheldFields;
  const e = r.eligibility;
  const rules = e
    ? [
        e.minAge != null || e.maxAge != null ? t("resource.ageRange", { min: e.minAge ?? 0, max: e.maxAge ?? "" }) : null,
        e.maxIncomePercent != null ? t("resource.maxIncome", { p: e.maxIncomePercent }) : null,
        e.householdTypes.length ? t("resource.households", { types: e.householdTypes.map((h) => label("HouseholdType", h)).join(", ") }) : null,
        e.disabilityRequired ? t("resource.disabilityRequired") : null,
        e.notes,
      ].filter(Boolean)
    : [];
  const canRefer = !!viewer && !viewer.anonymous && has("CASEWORKER", "ADMIN") && r.provider?.id !== viewer.institution?.id;
  return (
    <div className="page resource-page">
      <p>
        <Link href="/search">← {t("common.back")}</Link>
      </p>
      <h1>{r.name}</h1>
      <p className="meta">
        <span className="tag">{label("ResourceKind", r.kind)}</span> <span className="tag">{label("ResourceStatus", r.status)}</span>{" "}
        {r.provider?.name}
      </p>
      {w.length > 0 && (
        <p className="hint">{t("resource.withheldList", { fields: w.map((f) => label("ResourceField", f.replace(/([A-Z])/g, "_$1").toUpperCase())).join(", ") })}</p>
      )}
      <dl className="detail-list">
        <dt>{t("resource.description")}</dt>
        <dd>
          <Shown name="description" withheld={w}>
            {r.description ?? "—"}
          </Shown>
        </dd>
        <dt>{t("resource.needs")}</dt>
        <dd>{r.needs.map((n) => (lang === "ko" ? n.labelKo : n.labelEn)).join(", ")}</dd>
        <dt>{t("resource.servedRegions")}</dt>
        <dd>{r.servedRegions.map((g) => (lang === "en" && g.nameEn ? g.nameEn : g.name)).join(", ")}</dd>
        <dt>{t("resource.eligibility")}</dt>
        <dd>
          <Shown name="eligibility" withheld={w}>
            {rules.length ? rules.join(" · ") : t("resource.noRules")}
          </Shown>
        </dd>
        <dt>{t("search.capacity")}</dt>
        <dd data-field="capacity">
          <Shown name="capacity" withheld={w}>
            {r.capacity && (r.capacity.available != null || r.capacity.total != null) ? t("search.capacityValue", { available: r.capacity.available ?? "—", total: r.capacity.total ?? "—" }) : "—"}
          </Shown>
        </dd>
        <dt>{t("resource.schedule")}</dt>
        <dd data-field="schedule">
          <Shown name="schedule" withheld={w}>
            {r.schedule ?? "—"}
          </Shown>
        </dd>
        <dt>{t("search.contact")}</dt>
        <dd data-field="contact">
          <Shown name="contact" withheld={w}>
            {[r.contact?.person, r.contact?.phone, r.contact?.email].filter(Boolean).join(" · ") || "—"}
          </Shown>
        </dd>
        <dt>{t("resource.address")}</dt>
        <dd data-field="address">
          <Shown name="address" withheld={w}>
            {r.address?.text ?? "—"}
          </Shown>
        </dd>
        <dt>{t("resource.internalNotes")}</dt>
        <dd data-field="internalNotes">
          <Shown name="internalNotes" withheld={w}>
            {r.internalNotes ?? "—"}
          </Shown>
        </dd>
      </dl>
      {canRefer && r.provider ? (
        <ReferForm resourceId={r.id} institutionId={r.provider.id} institutionName={r.provider.name} needs={r.needs} />
      ) : (
        !viewer?.subject && <p className="hint">{t("refer.signin")}</p>
      )}
    </div>
  );
}
