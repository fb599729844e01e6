// A field the registrant does not share with this viewer: said so, never left blank.
import { useI18n } from "../i18n";

export function Withheld() {
  const { t } = useI18n();
  return (
    <span className="withheld" title={t("common.withheldHint")}>
      {t("common.withheld")}
      <span className="visually-hidden"> — {t("common.withheldHint")}</span>
    </span>
  );
}

/** `value` when shown, "비공개" when the API lists `name` in `withheldFields`. */
export function Shown({ name, withheld, children }: { name: string; withheld: readonly string[]; children: React.ReactNode }) {
  return withheld.includes(name) ? <Withheld /> : <>{children}</>;
}
