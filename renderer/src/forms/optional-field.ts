/** `{ [key]: trimmed }` when the admin typed something, else nothing: empty optional fields are left out. */
export function optionalField<K extends string>(key: K, value: string): Partial<Record<K, string>> {
  const trimmed = value.trim();
  return (trimmed ? { [key]: trimmed } : {}) as Partial<Record<K, string>>;
}
