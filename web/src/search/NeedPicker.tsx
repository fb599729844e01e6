// The needs taxonomy as nested checkboxes: each domain (e.g. 일상생활) opens to its narrower
// needs. Native <details> and checkboxes, so it works by keyboard and screen reader.
import { useI18n } from "../i18n";

export interface NeedNode {
  code: string;
  labelKo: string;
  labelEn: string;
  children?: NeedNode[];
}

interface Props {
  legend: string;
  hint?: string;
  tree: NeedNode[];
  selected: string[];
  onChange: (codes: string[]) => void;
  error?: string | null;
}

export function NeedPicker({ legend, hint, tree, selected, onChange, error }: Props) {
  const { lang } = useI18n();
  const name = (n: NeedNode) => (lang === "ko" ? n.labelKo : n.labelEn);
  const toggle = (code: string) =>
    onChange(selected.includes(code) ? selected.filter((c) => c !== code) : [...selected, code]);
  return (
    <fieldset className={`need-picker${error ? " field-error" : ""}`}>
      <legend>{legend}</legend>
      {hint && <p className="hint">{hint}</p>}
      {error && <p className="error-text">{error}</p>}
      {tree.map((domain) => {
        const inDomain = [domain.code, ...(domain.children ?? []).map((c) => c.code)];
        const count = inDomain.filter((c) => selected.includes(c)).length;
        return (
          <details key={domain.code} open={count > 0 || undefined}>
            <summary>
              {name(domain)}
              {count > 0 && <span className="count"> ({count})</span>}
            </summary>
            <ul className="checks">
              <li>
                <label>
                  <input type="checkbox" name="need" value={domain.code} checked={selected.includes(domain.code)} onChange={() => toggle(domain.code)} />
                  {name(domain)} {lang === "ko" ? "전체" : "(all)"}
                </label>
              </li>
              {(domain.children ?? []).map((need) => (
                <li key={need.code}>
                  <label>
                    <input type="checkbox" name="need" value={need.code} checked={selected.includes(need.code)} onChange={() => toggle(need.code)} />
                    {name(need)}
                  </label>
                </li>
              ))}
            </ul>
          </details>
        );
      })}
    </fieldset>
  );
}
