import type { ReactNode } from 'react';

export interface SelectFilter<K extends string> {
  key: K;
  label: string;
  /** The first option's text: no filter (value ""). */
  all: string;
  options: ReadonlyArray<readonly [value: string, text: string]>;
}

/**
 * A list's filter bar: a labelled select per filter (id `filter-<key>`), then any other fields.
 * A value (from the URL) that no option has, such as while the options load, stays selectable, so
 * the select shows the filter in force.
 */
export function Filters<K extends string>({
  label,
  selects,
  values,
  onChange,
  children,
}: {
  label: string;
  selects: ReadonlyArray<SelectFilter<K>>;
  values: Partial<Record<K, string>>;
  onChange: (key: K, value: string) => void;
  children?: ReactNode;
}) {
  return (
    <div className="filters" role="search" aria-label={label}>
      {selects.map(({ key, label: text, all, options }) => {
        const value = values[key];
        return (
          <div className="field" key={key}>
            <label htmlFor={`filter-${key}`}>{text}</label>
            <select id={`filter-${key}`} value={value ?? ''} onChange={(e) => onChange(key, e.target.value)}>
              <option value="">{all}</option>
              {options.map(([v, t]) => (
                <option key={v} value={v}>
                  {t}
                </option>
              ))}
              {value !== undefined && !options.some(([v]) => v === value) && <option value={value}>{value}</option>}
            </select>
          </div>
        );
      })}
      {children}
    </div>
  );
}
