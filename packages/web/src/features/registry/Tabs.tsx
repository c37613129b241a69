/**
 * Tabs following the WAI-ARIA pattern: one tab stop, arrow keys move between tabs (mirrored in
 * right-to-left), Home/End jump, and each panel is labelled by its tab.
 */
import { useRef, type KeyboardEvent, type ReactNode } from 'react';
import { cx } from '../../ui/cx.ts';

export interface TabDef {
  id: string;
  label: string;
}

interface TabsProps {
  idPrefix: string;
  label: string;
  tabs: TabDef[];
  selected: string;
  onSelect: (id: string) => void;
  children: ReactNode;
}

export function Tabs({ idPrefix, label, tabs, selected, onSelect, children }: TabsProps) {
  const refs = useRef<Record<string, HTMLButtonElement | null>>({});
  function onKey(e: KeyboardEvent<HTMLDivElement>) {
    const i = tabs.findIndex((x) => x.id === selected);
    const rtl = getComputedStyle(e.currentTarget).direction === 'rtl';
    let next: number;
    if (e.key === 'ArrowRight') next = rtl ? i - 1 : i + 1;
    else if (e.key === 'ArrowLeft') next = rtl ? i + 1 : i - 1;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = tabs.length - 1;
    else return;
    e.preventDefault();
    const tab = tabs[(next + tabs.length) % tabs.length];
    if (!tab) return;
    onSelect(tab.id);
    refs.current[tab.id]?.focus();
  }
  return (
    <div className="tabs">
      <div className="tabs__list" role="tablist" aria-label={label} onKeyDown={onKey}>
        {tabs.map((tab) => (
          <button
            key={tab.id}
            ref={(el) => {
              refs.current[tab.id] = el;
            }}
            type="button"
            role="tab"
            id={`${idPrefix}-tab-${tab.id}`}
            aria-selected={tab.id === selected}
            aria-controls={`${idPrefix}-panel-${tab.id}`}
            tabIndex={tab.id === selected ? 0 : -1}
            className={cx('tabs__tab', tab.id === selected && 'tabs__tab--selected')}
            onClick={() => onSelect(tab.id)}
            data-testid={`${idPrefix}-tab-${tab.id}`}
          >
            {tab.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${idPrefix}-panel-${selected}`} aria-labelledby={`${idPrefix}-tab-${selected}`} tabIndex={0} className="tabs__panel">
        {children}
      </div>
    </div>
  );
}
