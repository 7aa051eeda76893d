/**
 * Sets a data field as an own property. Plain assignment with a key such as `__proto__` would change
 * the object's prototype instead of storing the field (and lose the value).
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
