import type { Column, Field, Value, ValueType } from './document';
import { germanDate, germanInstant, germanMonth, germanNumber, NO, YES } from './german';

const EMPTY = '–';

/** A value as the staff read it: German dates, Ja/Nein, German numbers, lists joined by semicolons. */
export function formatValue(value: Value, type: ValueType = 'text', options: { plainNumbers?: boolean } = {}): string {
  if (value === null || value === '') return EMPTY;
  if (Array.isArray(value)) return value.length === 0 ? EMPTY : value.join('; ');
  if (typeof value === 'boolean') return value ? YES : NO;
  if (typeof value === 'number') return options.plainNumbers ? String(value) : germanNumber(value);
  switch (type) {
    case 'date':
      return germanDate(value);
    case 'month':
      return germanMonth(value);
    case 'instant':
      return germanInstant(value);
    default:
      return value;
  }
}

export function fieldText(field: Field): string {
  return formatValue(field.value, field.type);
}

export function cellText(value: Value, column: Column): string {
  return formatValue(value, column.type);
}

export function isNumeric(column: Column): boolean {
  return column.type === 'number';
}
